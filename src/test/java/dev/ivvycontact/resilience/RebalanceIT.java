package dev.ivvycontact.resilience;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.RunningPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item C: a partition taken away in a rebalance while its lookups are in a retry series against a slow,
 * failing iVvy. Once the revocation is over, the old owner publishes nothing for that partition: each input is
 * published once, by the new owner, in input order.
 */
class RebalanceIT extends PipelineTestBase {

    private static final long X = 80_001;
    private static final long Y = 80_002;

    @Override
    protected int inputPartitions() {
        return 2;
    }

    @Test
    void lookupsOfARevokedPartitionAreCancelledNotPublishedByTheOldOwner() throws Exception {
        sandbox.setLatency(Duration.ofMillis(200));
        sandbox.failFirst(X, Integer.MAX_VALUE, Fault.SERVER_ERROR);
        sandbox.failFirst(Y, Integer.MAX_VALUE, Fault.SERVER_ERROR);
        Map<String, String> slowRetries = Map.of("pipeline.max-attempts", "1000", "pipeline.circuit-transient-run", "1000",
                "pipeline.retry-initial-delay-ms", "200", "pipeline.retry-max-delay-ms", "500");
        // X's records on partition 0 and Y's on partition 1: whichever partition moves, it is mid-series.
        for (int n = 0; n < 2; n++) {
            send(0, X, n);
            send(1, Y, n);
        }
        RunningPipeline first = RunningPipeline.start(broker.bootstrapServers(), sandbox, props(slowRetries));
        RunningPipeline second = null;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(X) >= 3 && sandbox.calls(Y) >= 3);
            int secondPort = FreePort.find();
            Map<String, String> secondProps = new HashMap<>(slowRetries);
            secondProps.put("management.port", Integer.toString(secondPort));
            second = RunningPipeline.start(broker.bootstrapServers(), sandbox, props(secondProps));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> assignedPartitions(secondPort) >= 1);
            Thread.sleep(2000); // the new owner starts its own series
            sandbox.failFirst(X, 0, Fault.SERVER_ERROR);
            sandbox.failFirst(Y, 0, Fault.SERVER_ERROR);

            List<ConsumerRecord<byte[], byte[]>> contacts = readAtLeast(topics.contacts(), 4);
            Map<String, List<String>> sequence = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : contacts) {
                sequence.computeIfAbsent(text(record.key()), k -> new ArrayList<>()).add(header(record, "correlation-id"));
            }
            assertThat(sequence.get(Long.toString(X))).containsExactly(X + "-0", X + "-1");
            assertThat(sequence.get(Long.toString(Y))).containsExactly(Y + "-0", Y + "-1");
            assertThat(readAtLeast(topics.deadLetters(), 0)).isEmpty();
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private Map<String, String> props(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("management.port", Integer.toString(FreePort.find())));
        props.putAll(extra);
        return pipelineProperties(props);
    }

    private void send(int partition, long id, int n) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.input(), partition, bytes(Long.toString(id)),
                bytes(Long.toString(id)));
        record.headers().add("correlation-id", bytes(id + "-" + n));
        producer.send(record);
    }

    private static int assignedPartitions(int port) throws Exception {
        JsonNode health = Json.newMapper().readTree(Http.get(port, "/observe/health").body());
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("kafka-consumer")) {
                return check.path("details").path("assignedPartitions").asInt(0);
            }
        }
        return 0;
    }
}
