package dev.ivvycontact.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /**
     * Issue 19, item C: with LOG_FORMAT=json every log line is one JSON object (Elastic Common Schema), and the lines
     * of a lookup's work carry its trace: an operator who finds a dead letter's trace finds its log lines.
     */
    @Test
    void jsonLogLinesOfALookupCarryItsTraceAndSpanIds() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Map<String, String> env = pipelineEnvironment();
        env.put("LOG_FORMAT", "json");
        // The jar's own logging configuration, not the tests' (log4j2-test.xml is on this classpath).
        try (ChildJvm pipeline = ChildJvm.start(env, List.of("-Dlog4j2.configurationFile=log4j2.xml"),
                PipelineCli.class.getName(), "run")) {
            producer.send(TestProducer.record(topics.input(), "14".getBytes(StandardCharsets.UTF_8),
                    "14".getBytes(StandardCharsets.UTF_8), Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")));
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
                assertThat(reader.readAtLeast(1, Duration.ofSeconds(60))).hasSize(1);
            }
            pipeline.terminate(30);
            ObjectMapper mapper = Json.newMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : pipeline.output().split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(mapper.readTree(line));
                }
            }
            assertThat(lines).as("JSON log lines").hasSizeGreaterThan(5)
                    .allSatisfy(line -> assertThat(line.has("@timestamp") && line.has("log.level") && line.has("message")).isTrue());
            JsonNode deadLettered = lines.stream().filter(line -> line.get("message").asText().startsWith("Dead-lettered"))
                    .findFirst().orElseThrow();
            assertThat(deadLettered.get("trace_id").asText()).isEqualTo(traceId);
            assertThat(deadLettered.get("span_id").asText()).matches("[0-9a-f]{16}");
            assertThat(deadLettered.get("service.name").asText()).isEqualTo("ivvy-contact-pipeline");
        }
    }
}
