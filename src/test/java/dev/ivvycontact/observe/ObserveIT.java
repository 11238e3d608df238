package dev.ivvycontact.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.RunningPipeline;
import dev.ivvycontact.testsupport.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.ivvycontact.stack.DashboardQueries;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Health and metrics scraped over HTTP from a running pipeline, healthy and cut off from Kafka. */
class ObserveIT extends PipelineTestBase {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void healthIsUpAndMetricsCountWhatHappened() throws Exception {
        int port = FreePort.find();
        startPipeline(Map.of("management.port", Integer.toString(port)));
        for (String id : List.of("1", "2", "7", "oops")) {
            producer.send(topics.input(), id, id);
        }
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts(), topics.deadLetters()))) {
            assertThat(reader.readAtLeast(4, Duration.ofSeconds(60))).hasSize(4);
        }

        HttpResponse<String> ready = awaitStatus(port, "/observe/health/ready", 200);
        JsonNode readiness = mapper.readTree(ready.body());
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.get("checks").findValuesAsText("name")).contains("kafka-consumer");
        assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);
        JsonNode all = mapper.readTree(get(port, "/observe/health").body());
        JsonNode consumer = check(all, "kafka-consumer");
        assertThat(consumer.get("details").get("assignedPartitions").asInt()).isEqualTo(3);

        String metrics = get(port, "/observe/metrics").body();
        // Issue 19, item C: every series names the build and the instance.
        assertThat(metrics).containsPattern("(?m)^pipeline_lookups_total\\{outcome=\"published\","
                + "service_instance_id=\"[^\"]+\",service_version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} ");
        assertThat(metrics).containsPattern("(?m)^jvm_threads_live_threads\\{service_instance_id=\"[^\"]+\"");
        assertThat(value(metrics, "pipeline_lookups_total\\{outcome=\"published\"}")).isEqualTo(2.0);
        assertThat(value(metrics, "pipeline_lookups_total\\{outcome=\"dead_lettered\"}")).isEqualTo(2.0);
        assertThat(value(metrics, "pipeline_dead_letters_total\\{reason=\"CONTACT_NOT_FOUND\"}")).isEqualTo(1.0);
        assertThat(value(metrics, "pipeline_dead_letters_total\\{reason=\"MALFORMED_MESSAGE\"}")).isEqualTo(1.0);
        assertThat(value(metrics, "ivvy_calls_seconds_count\\{action=\"getContact\",outcome=\"2xx\"}")).isEqualTo(2.0);
        assertThat(value(metrics, "ivvy_calls_seconds_count\\{action=\"getContact\",outcome=\"4xx\"}")).isEqualTo(1.0);
        assertThat(bare(metrics)).contains("ivvy_calls_seconds_bucket{action=\"getContact\",outcome=\"2xx\",le=")
                .contains("pipeline_lookups_in_flight ").contains("pipeline_consumer_lag ")
                .contains("jvm_memory_used_bytes");
    }

    /**
     * Issue 10: every metric the Grafana dashboard queries is one a running pipeline exposes; issue 19, item J: and
     * every metric the Kubernetes alerting rules ask for.
     */
    @Test
    void everyMetricTheDashboardQueriesIsScrapedFromARunningPipeline() throws Exception {
        int port = FreePort.find();
        String syncState = "sync-state-" + groupId;
        broker.createTopics(1, List.of(syncState), Map.of("cleanup.policy", "compact"));
        startPipeline(Map.of("management.port", Integer.toString(port), "sync.interval", "1s", "topic.sync-state", syncState));
        sandbox.failFirst(3, 1, dev.ivvycontact.sandbox.Fault.SERVER_ERROR); // a retry
        for (String id : List.of("3", "4", "7", "oops")) {                  // published, not found, malformed
            producer.send(topics.input(), id, id);
        }
        assertThat(readAtLeast(topics.deadLetters(), 2)).hasSize(2);
        assertThat(readAtLeast(topics.contacts(), 2)).hasSize(2);

        String scrape = await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/observe/metrics").body(),
                metrics -> bare(metrics).contains("pipeline_sync_runs_total{outcome=\"completed\"}"));
        Set<String> queried = new TreeSet<>();
        for (String expression : DashboardQueries.expressions()) {
            queried.addAll(DashboardQueries.metricNames(expression));
        }
        Set<String> alerted = new TreeSet<>();
        for (String expression : DashboardQueries.alertExpressions()) {
            alerted.addAll(DashboardQueries.metricNames(expression));
        }
        assertThat(alerted).contains("pipeline_ivvy_circuit_state", "pipeline_dead_letters_refused",
                "pipeline_sync_last_success_timestamp_seconds", "pipeline_consumer_lag");
        queried.addAll(alerted);
        assertThat(queried).hasSizeGreaterThan(8).allSatisfy(name -> assertThat(scrape)
                .as("%s in the scrape", name).containsPattern("(?m)^" + name + "[{ ]"));
    }

    /** Issue 8, item I: a lookup that failed once, then published, counts as published, never as dead-lettered. */
    @Test
    void aLookupThatFailedOnceAndThenPublishedCountsAsPublished() throws Exception {
        int port = FreePort.find();
        startPipeline(Map.of("management.port", Integer.toString(port)));
        sandbox.failFirst(1, 1, dev.ivvycontact.sandbox.Fault.SERVER_ERROR);
        producer.send(topics.input(), "1", "1");
        assertThat(readAtLeast(topics.contacts(), 1)).hasSize(1);

        String metrics = get(port, "/observe/metrics").body();
        assertThat(value(metrics, "pipeline_lookups_total\\{outcome=\"published\"}")).isEqualTo(1.0);
        assertThat(bare(metrics)).doesNotContain("pipeline_lookups_total{outcome=\"dead_lettered\"}");
        assertThat(value(metrics, "ivvy_call_retries_total")).isEqualTo(1.0);
    }

    @Test
    void readinessIsDownWithoutKafkaWhileLivenessStaysUp() throws Exception {
        int port = FreePort.find();
        Map<String, String> props = pipelineProperties(Map.of("management.port", Integer.toString(port)));
        try (RunningPipeline cutOff = RunningPipeline.start("127.0.0.1:1", sandbox, props)) {
            HttpResponse<String> ready = awaitStatus(port, "/observe/health/ready", 503);
            JsonNode consumer = check(mapper.readTree(ready.body()), "kafka-consumer");
            assertThat(consumer.get("status").asText()).isEqualTo("DOWN");
            assertThat(consumer.get("message").asText()).isEqualTo("no connection to Kafka");
            assertThat(get(port, "/observe/health/live").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> awaitStatus(int port, String path, int status) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(port, path), answer -> answer.statusCode() == status);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    /** The value of {@code series} (a pattern, without the identity labels every series carries). */
    /** The scrape without the identity labels every series carries (checked once, in the first test). */
    private static String bare(String scrape) {
        return scrape.replaceAll(",?service_instance_id=\"[^\"]*\",service_version=\"[^\"]*\"", "")
                .replace("{}", "");
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(bare(scrape));
        assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
