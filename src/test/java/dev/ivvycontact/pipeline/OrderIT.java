package dev.ivvycontact.pipeline;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Many repeats of few contact ids, 64 lookups in flight and answers that take a random 0-30 ms: each contact's
 * outputs still come out in input order (seen through the correlation-id each input carries).
 */
class OrderIT extends PipelineTestBase {


    @Test
    void recordsOfOneContactArePublishedInInputOrderUnderConcurrency() {
        sandbox.setLatency(Duration.ZERO, Duration.ofMillis(30));
        startPipeline(Map.of("pipeline.max-in-flight", "64"));
        List<Long> ids = List.of(1L, 2L, 3L, 4L, 5L, 6L);
        int repeats = 80;
        for (int n = 0; n < repeats; n++) {
            for (long id : ids) {
                // Bare ids and JSON alike: both are the same contact, ordered together.
                String value = n % 2 == 0 ? Long.toString(id) : "{\"id\":" + id + "}";
                producer.send(TestProducer.record(topics.input(), bytes(Long.toString(id)), bytes(value),
                        Map.of("correlation-id", id + "-" + n)));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
            out = reader.readAtLeast(ids.size() * repeats, Duration.ofSeconds(120));
        }
        Map<String, List<Integer>> sequenceByContact = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : out) {
            String correlation = header(record, "correlation-id");
            sequenceByContact.computeIfAbsent(text(record.key()), k -> new ArrayList<>())
                    .add(Integer.parseInt(correlation.substring(correlation.indexOf('-') + 1)));
        }
        assertThat(sequenceByContact).hasSize(ids.size());
        sequenceByContact.forEach((contact, sequence) -> assertThat(sequence).as("contact " + contact)
                .hasSize(repeats).isSorted().doesNotHaveDuplicates());
    }
}
