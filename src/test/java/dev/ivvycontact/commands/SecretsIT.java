package dev.ivvycontact.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jar's `run` in its own JVM, with a key and secret the sandbox does not accept (so every call fails and is logged),
 * and with bad input (so dead letters are written): neither the key, the secret nor any signature reaches the output
 * (issue 8, item 3: the key is shown masked, if at all).
 */
class SecretsIT extends PipelineTestBase {

    private static final String SECRET = "S3cr3t-" + System.nanoTime();
    private static final String KEY = "K3y-" + System.nanoTime();

    @Test
    void noLogLineShowsTheSecretOrASignature() throws Exception {
        Map<String, String> env = pipelineEnvironment();
        env.put("IVVY_API_SECRET", SECRET);
        env.put("IVVY_API_KEY", KEY); // an unknown key: every call is refused, as with a wrong secret
        int refusedBefore = sandbox.refusedSignatures();
        try (ChildJvm pipeline = ChildJvm.start(env, List.of(), PipelineCli.class.getName(), "run")) {
            producer.send(topics.input(), "x", "not-an-id");
            producer.send(topics.input(), "5", "5");
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
                assertThat(reader.readAtLeast(1, Duration.ofSeconds(60))).hasSize(1);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.refusedSignatures() >= refusedBefore + 2);
            pipeline.terminate(30);
            String output = pipeline.output();
            assertThat(output).contains("Unauthorized").contains("Dead-lettered");
            assertThat(output).doesNotContain(SECRET).doesNotContain(KEY).doesNotContain("IWS ").doesNotContain("X-Api-Authorization");
        }
    }
}
