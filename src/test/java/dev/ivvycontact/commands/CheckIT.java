package dev.ivvycontact.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.PipelineTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `check` as an operator runs it, against the real broker and the sandbox, healthy and broken in each way. */
class CheckIT extends PipelineTestBase {

    @Test
    void allChecksPassWhenEverythingIsRight() throws Exception {
        Result check = check(pipelineEnvironment());
        assertThat(check.exit).isZero();
        assertThat(check.output.lines().filter(l -> l.startsWith("OK ")))
                .hasSize(4).anyMatch(l -> l.startsWith("OK ivvy: signed ping answered by " + sandbox.baseUrl()));
        assertThat(check.output).doesNotContain("FAIL");
        // Issue 8, item 3: the key is shown masked, never whole.
        assertThat(check.output).contains("as key ****-key").doesNotContain("sandbox-key");
    }

    @Test
    void aWrongSecretAndAMissingTopicAreNamed() throws Exception {
        Map<String, String> env = pipelineEnvironment();
        env.put("IVVY_API_SECRET", "wrong");
        env.put("TOPIC_INVOICES", "no-such-invoices");
        Result check = check(env);
        assertThat(check.exit).isEqualTo(1);
        assertThat(check.output).contains("FAIL topics: missing no-such-invoices")
                .contains("FAIL ivvy: iVvy refused the credentials").contains("check IVVY_API_KEY and IVVY_API_SECRET")
                .contains("OK kafka").doesNotContain("wrong");
    }

    @Test
    void aClockMoreThanFiveMinutesOffIsCalledStale() throws Exception {
        sandbox.setClockOffset(Duration.ofMinutes(7));
        try {
            Result check = check(pipelineEnvironment());
            assertThat(check.exit).isEqualTo(1);
            assertThat(check.output).contains("FAIL ivvy: iVvy says the request is stale: this machine's clock");
        } finally {
            sandbox.setClockOffset(Duration.ZERO);
        }
    }

    @Test
    void unreachableIvvyAndKafkaAndMissingSettingsEachFail() throws Exception {
        Map<String, String> env = pipelineEnvironment();
        env.put("IVVY_BASE_URL", "http://127.0.0.1:1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");
        Result unreachable = check(env);
        assertThat(unreachable.exit).isEqualTo(1);
        assertThat(unreachable.output).contains("FAIL kafka: no answer from 127.0.0.1:1")
                .contains("FAIL ivvy: can't reach http://127.0.0.1:1");

        Result unconfigured = check(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()));
        assertThat(unconfigured.exit).isEqualTo(1);
        assertThat(unconfigured.output).contains("FAIL configuration: set IVVY_BASE_URL IVVY_API_KEY IVVY_API_SECRET")
                .contains("FAIL ivvy: not checked");
    }

    @Test
    void aConfigurationFileNamedByPipelineConfigOverridesTheBuiltInOne() throws Exception {
        Path file = Files.createTempFile("pipeline", ".properties");
        try {
            Files.writeString(file, "topic.invoices = invoices-from-the-file\n");
            Map<String, String> env = pipelineEnvironment();
            env.remove("TOPIC_INVOICES"); // an environment variable would win over any file
            env.put("PIPELINE_CONFIG", file.toString());
            Result check = check(env);
            assertThat(check.output).contains("FAIL topics: missing invoices-from-the-file");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Result check(Map<String, String> env) throws Exception {
        try (ChildJvm check = ChildJvm.start(env, List.of(), PipelineCli.class.getName(), "check")) {
            int exit = check.waitFor(120);
            return new Result(exit, check.output());
        }
    }

    private record Result(int exit, String output) {
    }
}
