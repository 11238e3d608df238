package dev.ivvycontact.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What arrived on a topic, counted by key: which keys, and how many arrived more than once. */
public record Deliveries(Map<String, Integer> countsByKey, long total) {

    /** Reads {@code topic} until every expected key has arrived (or the timeout passes). */
    public static Deliveries await(String bootstrapServers, String topic, Collection<String> expectedKeys, Duration timeout) {
        return await(new TopicReader(bootstrapServers, List.of(topic)), expectedKeys, timeout);
    }

    /** The same, as a read_committed reader sees it (what aborted transactions wrote is not there). */
    public static Deliveries awaitCommitted(String bootstrapServers, String topic, Collection<String> expectedKeys,
                                            Duration timeout) {
        return await(TopicReader.readCommitted(bootstrapServers, List.of(topic)), expectedKeys, timeout);
    }

    private static Deliveries await(TopicReader topicReader, Collection<String> expectedKeys, Duration timeout) {
        Set<String> expected = Set.copyOf(expectedKeys);
        try (TopicReader reader = topicReader) {
            List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(
                    seen -> keys(seen).containsAll(expected), timeout);
            Map<String, Integer> counts = new HashMap<>();
            records.forEach(r -> counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum));
            return new Deliveries(counts, records.size());
        }
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }

    public Set<String> keys() {
        return countsByKey.keySet();
    }

    /** Messages beyond the first for their key. */
    public long duplicates() {
        return total - countsByKey.size();
    }
}
