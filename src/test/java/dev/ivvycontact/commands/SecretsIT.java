package dev.ivvycontact.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jar's `run` in its own JVM, with a secret the sandbox does not accept (so every call fails and is logged),
 * and with bad input (so dead letters are written): neither the secret nor any signature reaches the output.
 */
class SecretsIT extends PipelineTestBase {

    private static final String SECRET = "S3cr3t-" + System.nanoTime();

    @Test
    void noLogLineShowsTheSecretOrASignature() throws Exception {
        Map<String, String> env = pipelineEnvironment();
        env.put("IVVY_API_SECRET", SECRET);
        int refusedBefore = sandbox.refusedSignatures();
        try (ChildJvm pipeline = ChildJvm.start(env, List.of(), PipelineCli.class.getName(), "run")) {
            producer.send(topics.input(), "x", "not-an-id");
            producer.send(topics.input(), "5", "5");
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
                assertThat(reader.readAtLeast(1, Duration.ofSeconds(60))).hasSize(1);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sandbox.refusedSignatures() < refusedBefore + 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(sandbox.refusedSignatures()).isGreaterThanOrEqualTo(refusedBefore + 2);
            pipeline.terminate(30);
            String output = pipeline.output();
            assertThat(output).contains("Unauthorized").contains("Dead-lettered");
            assertThat(output).doesNotContain(SECRET).doesNotContain("IWS ").doesNotContain("X-Api-Authorization");
        }
    }
}
