package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The pipeline as its own JVM, killed with SIGKILL mid-stream with many lookups in flight, then started again:
 * every input is delivered at least once. The duplicates are counted and printed.
 */
class CrashIT extends PipelineTestBase {


    @Test
    void aKilledPipelineLosesNothingWhenStartedAgain() throws Exception {
        sandbox.setLatency(Duration.ofMillis(20), Duration.ofMillis(20));
        List<String> ids = existingIds(10_000, 12_400);
        ids.forEach(id -> producer.send(topics.input(), id, id));

        int seenBeforeKill;
        try (ChildJvm first = ChildJvm.start(env(), List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
                seenBeforeKill = reader.readUntil(r -> r.size() >= ids.size() / 3, Duration.ofSeconds(90)).size();
            }
            assertThat(first.isAlive()).isTrue();
            first.kill();
        }
        long restartedAt = System.nanoTime();
        try (ChildJvm second = ChildJvm.start(env(), List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(180));
            int deadLetters;
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
                deadLetters = reader.readUntil(r -> false, Duration.ofSeconds(2)).size();
            }
            System.out.printf("SIGKILL with 64 in flight after >= %d of %d contacts: %d delivered, %d duplicates, "
                            + "%d dead letters, all done %d ms after the restart (the killed member's partitions wait "
                            + "for its session to time out)%n", seenBeforeKill, ids.size(), contacts.keys().size(),
                    contacts.duplicates(), deadLetters, Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());
            assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(deadLetters).isZero();
            // The repeats a crash causes say the same thing: the same ivvy-event-id, so downstream can drop them.
            Map<String, java.util.Set<String>> eventIdsByContact = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> contact : readAtLeast(topics.contacts(), ids.size())) {
                eventIdsByContact.computeIfAbsent(text(contact.key()), k -> new java.util.HashSet<>())
                        .add(header(contact, "ivvy-event-id"));
            }
            assertThat(eventIdsByContact).hasSize(ids.size()).allSatisfy((contact, eventIds) -> assertThat(eventIds).hasSize(1));
            second.terminate(60);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = pipelineEnvironment();
        env.put("PIPELINE_MAX_IN_FLIGHT", "64");
        return env;
    }
}
