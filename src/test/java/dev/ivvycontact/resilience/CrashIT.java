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
        long killedAt;
        try (ChildJvm first = ChildJvm.start(env(), List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
                seenBeforeKill = reader.readUntil(r -> r.size() >= ids.size() / 3, Duration.ofSeconds(90)).size();
            }
            assertThat(first.isAlive()).isTrue();
            killedAt = System.currentTimeMillis();
            first.kill();
        }
        // What finished in the last two commit intervals before the kill (1 s each; a commit is asynchronous, so the
        // one before may be what the broker has): with the 64 in flight, what a kill may repeat.
        long finishedLately;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
            finishedLately = reader.readAtLeast(seenBeforeKill, Duration.ofSeconds(30)).stream()
                    .filter(r -> r.timestamp() >= killedAt - 2_000 && r.timestamp() <= killedAt).count();
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
                            + "for its 6 s session to time out)%n", seenBeforeKill, ids.size(), contacts.keys().size(),
                    contacts.duplicates(), deadLetters, Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());
            assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(deadLetters).isZero();
            long bound = 64 + finishedLately;
            System.out.printf("the bound on repeats: 64 in flight + %d finished in the 2 s before the kill = %d; "
                    + "repeated: %d%n", finishedLately, bound, contacts.duplicates());
            assertThat(contacts.duplicates()).isLessThanOrEqualTo(bound);
            // The repeats a crash causes say the same thing: the same ivvy-event-id, so downstream can drop them.
            Map<String, java.util.Set<String>> eventIdsByContact = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> contact : readAtLeast(topics.contacts(), ids.size())) {
                eventIdsByContact.computeIfAbsent(text(contact.key()), k -> new java.util.HashSet<>())
                        .add(header(contact, "ivvy-event-id"));
            }
            assertThat(eventIdsByContact).hasSize(ids.size()).allSatisfy((contact, eventIds) -> assertThat(eventIds).hasSize(1));
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
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = pipelineEnvironment();
        env.put("PIPELINE_MAX_IN_FLIGHT", "64");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000"); // the killed member's partitions move on quickly
        return env;
    }
}
