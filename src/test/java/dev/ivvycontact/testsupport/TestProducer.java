package dev.ivvycontact.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces raw input records (any key, value and headers) and waits for each acknowledgement. */
public final class TestProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public TestProducer(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "max.request.size", Integer.toString(4 * 1024 * 1024)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    public RecordMetadata send(String topic, String key, String value) {
        return send(new ProducerRecord<>(topic, bytes(key), bytes(value)));
    }

    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + record.topic() + " failed", e.getCause());
        }
    }

    /** Sends each id as key and value, without waiting between them; returns once all are acknowledged. */
    public void sendIds(String topic, List<String> ids) {
        ids.forEach(id -> producer.send(new ProducerRecord<>(topic, bytes(id), bytes(id))));
        producer.flush();
    }

    public static ProducerRecord<byte[], byte[]> record(String topic, byte[] key, byte[] value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, val) -> recordHeaders.add(name, bytes(val)));
        return new ProducerRecord<>(topic, null, key, value, recordHeaders);
    }

    public static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
