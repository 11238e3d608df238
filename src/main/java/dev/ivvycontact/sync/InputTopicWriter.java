package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes a page of listed contacts to the input topic as the pipeline reads any contact id (key and value the id),
 * with headers ivvy-sync-window and ivvy-modified-date and the sync run's W3C trace context (so each lookup's trace
 * starts in the run that listed it), and returns once every one is acknowledged (the producer is acks=all,
 * idempotent): only then may the watermark pass them.
 */
public final class InputTopicWriter implements ContactSync.PageWriter {

    public static final String HEADER_WINDOW = "ivvy-sync-window";
    public static final String HEADER_MODIFIED_DATE = "ivvy-modified-date";

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Map<String, String> traceHeaders;

    /** {@code traceHeaders}: the sync run's traceparent (and tracestate), which every id carries. */
    public InputTopicWriter(Producer<byte[], byte[]> producer, String topic, Map<String, String> traceHeaders) {
        this.producer = producer;
        this.topic = topic;
        this.traceHeaders = traceHeaders;
    }

    @Override
    public void write(SyncWindow window, List<ContactListPage.Listed> contacts) throws SyncFailedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(contacts.size());
        for (ContactListPage.Listed contact : contacts) {
            sent.add(producer.send(record(window, contact)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new SyncFailedException("an id could not be written to " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailedException("interrupted while waiting for Kafka", e);
        }
    }

    ProducerRecord<byte[], byte[]> record(SyncWindow window, ContactListPage.Listed contact) {
        byte[] id = Long.toString(contact.id()).getBytes(StandardCharsets.US_ASCII);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, id, id);
        record.headers().add(HEADER_WINDOW, window.label().getBytes(StandardCharsets.UTF_8));
        if (contact.modifiedDate() != null) {
            record.headers().add(HEADER_MODIFIED_DATE, contact.modifiedDate().getBytes(StandardCharsets.UTF_8));
        }
        traceHeaders.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
