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
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item D: SIGTERM under load, then a restart. A clean stop publishes what it started, commits exactly what
 * was published and nothing more, so the restart repeats nothing.
 */
class CleanStopIT extends PipelineTestBase {

    @Test
    void aCleanStopUnderLoadCommitsEverythingItPublished() throws Exception {
        sandbox.setLatency(Duration.ofMillis(10), Duration.ofMillis(20));
        List<String> ids = existingIds(90_000, 92_400);
        ids.forEach(id -> producer.send(topics.input(), id, id));
        Map<String, String> env = pipelineEnvironment();
        env.put("PIPELINE_MAX_IN_FLIGHT", "64");

        int exit;
        try (ChildJvm first = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
                reader.readUntil(r -> r.size() >= ids.size() / 3, Duration.ofSeconds(90));
            }
            exit = first.terminate(60);
            // What it said on its way out, for whoever reads a failure of this test.
            List<String> said = first.output().lines().toList();
            said.subList(Math.max(0, said.size() - 40), said.size()).forEach(line -> System.out.println("first> " + line));
        }
        try (ChildJvm second = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(120));
            System.out.printf("SIGTERM under load, then a restart: %d in, %d delivered, %d duplicates (exit %d)%n",
                    ids.size(), contacts.keys().size(), contacts.duplicates(), exit);
            assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(contacts.duplicates()).isZero();
            second.terminate(60);
        }
    }
}
