package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.sandbox.Fault;
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
 * every input is delivered at least once, and what is repeated is only what was in flight or finished since the last
 * commit: records finished above the committed offset (the commit's metadata says which) are not looked up again.
 */
class CrashIT extends PipelineTestBase {


    @Test
    void aKilledPipelineLosesNothingWhenStartedAgain() throws Exception {
        sandbox.setLatency(Duration.ofMillis(20), Duration.ofMillis(20));
        List<String> ids = existingIds(10_000, 12_400);
        ids.forEach(id -> producer.send(topics.input(), id, id));

        int seenBeforeKill;
        double perSecond;
        try (ChildJvm first = ChildJvm.start(env(), List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
                reader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(60));
                long firstSeen = System.nanoTime();
                seenBeforeKill = reader.readUntil(r -> r.size() >= ids.size() / 3, Duration.ofSeconds(90)).size();
                perSecond = seenBeforeKill / (Math.max(1, System.nanoTime() - firstSeen) / 1e9);
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
            // The bound: the 64 in flight, and what finished in the last two commit intervals (1 s each; a commit is
            // asynchronous, so the one before may be what the broker has).
            long bound = 64 + Math.round(2 * perSecond);
            System.out.printf("the bound on repeats at %.0f contacts/s: %d; repeated: %d%n", perSecond, bound,
                    contacts.duplicates());
            assertThat(contacts.duplicates()).isLessThanOrEqualTo(bound);
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

    @Test
    void recordsFinishedAboveTheCommittedOffsetAreNotLookedUpAgainAfterAKill() throws Exception {
        // Contacts that fail until healed, sent first: each holds its partition's committed offset at the bottom.
        List<String> stuck = existingIds(70_000, 70_010);
        stuck.forEach(id -> sandbox.failFirst(Long.parseLong(id), 1_000_000, Fault.SERVER_ERROR));
        List<String> above = existingIds(70_011, 70_800);
        stuck.forEach(id -> producer.send(topics.input(), id, id));
        above.forEach(id -> producer.send(topics.input(), id, id));
        Map<String, String> env = env();
        env.put("PIPELINE_MAX_ATTEMPTS", "1000000");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000"); // the killed member's partitions move on quickly
        try (ChildJvm first = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            Deliveries.await(broker.bootstrapServers(), topics.contacts(), above, Duration.ofSeconds(90));
            Thread.sleep(3_000); // a commit or two (every second): their metadata says all of those are finished
            first.kill();
        }
        sandbox.heal();
        try (ChildJvm second = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            List<String> all = new java.util.ArrayList<>(stuck);
            all.addAll(above);
            Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), all, Duration.ofSeconds(90));
            long lookedUpAgain = above.stream().filter(id -> sandbox.calls(Long.parseLong(id)) > 1).count();
            System.out.printf("SIGKILL with %d contacts held at the bottom of the partitions and %d finished above "
                    + "them: %d looked up again, %d duplicates%n", stuck.size(), above.size(), lookedUpAgain,
                    contacts.duplicates());
            assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(lookedUpAgain).as("finished above the committed offset, looked up again").isZero();
            assertThat(contacts.duplicates()).isZero();
            second.terminate(60);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = pipelineEnvironment();
        env.put("PIPELINE_MAX_IN_FLIGHT", "64");
        return env;
    }
}
