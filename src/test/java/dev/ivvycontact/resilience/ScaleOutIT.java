package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.RunningPipeline;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two instances in one consumer group on a 6-partition input; one stops mid-stream; the other takes over. */
class ScaleOutIT extends PipelineTestBase {

    @Override
    protected int inputPartitions() {
        return 6;
    }


    @Test
    void stoppingOneOfTwoInstancesLosesNothing() {
        sandbox.setLatency(Duration.ofMillis(10));
        List<String> ids = existingIds(20_000, 21_500);
        RunningPipeline second = RunningPipeline.start(broker.bootstrapServers(), sandbox,
                pipelineProperties(Map.of("management.port", Integer.toString(FreePort.find()),
                        "pipeline.max-in-flight", "8")));
        try {
            RunningPipeline first = RunningPipeline.start(broker.bootstrapServers(), sandbox,
                    pipelineProperties(Map.of("management.port", Integer.toString(FreePort.find()),
                            "pipeline.max-in-flight", "8")));
            ids.forEach(id -> producer.send(topics.input(), id, id));
            int seenBeforeStop;
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
                seenBeforeStop = reader.readUntil(r -> r.size() >= ids.size() / 3, Duration.ofSeconds(90)).size();
            }
            first.close();
            Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(120));
            System.out.printf("scale-out, one of two stopped after >= %d of %d: %d delivered, %d duplicates%n",
                    seenBeforeStop, ids.size(), contacts.keys().size(), contacts.duplicates());
            assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            second.close();
        }
    }
}
