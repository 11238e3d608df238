package dev.ivvycontact.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics from the beginning with a fresh consumer group, as an independent downstream consumer would. */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, Collection<String> topics) {
        this(bootstrapServers, topics, "read_uncommitted");
    }

    private TopicReader(String bootstrapServers, Collection<String> topics, String isolationLevel) {
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "group.id", "test-reader-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "enable.auto.commit", "false",
                "isolation.level", isolationLevel,
                "max.partition.fetch.bytes", Integer.toString(8 * 1024 * 1024)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.copyOf(topics));
    }

    /** A reader that sees only what committed transactions wrote, as downstream of exactly-once output should read. */
    public static TopicReader readCommitted(String bootstrapServers, Collection<String> topics) {
        return new TopicReader(bootstrapServers, topics, "read_committed");
    }

    /** Polls until {@code done} holds for everything read so far, or the timeout passes; returns all read. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                          Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /** Reads until at least {@code count} records arrived, then a quiet period to catch any extra ones. */
    public List<ConsumerRecord<byte[], byte[]>> readAtLeast(int count, Duration timeout) {
        readUntil(records -> records.size() >= count, timeout);
        long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < quietUntil) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
