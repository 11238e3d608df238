package dev.ivvycontact.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.ContainerKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * No Docker engine runs here, so docker-compose.yml is checked against the configuration it must match: the
 * services it names, the variables the pipeline reads, the sandbox address, the broker listener and the topics.
 */
class ComposeFileTest {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Z0-9_]+)");
    private static Map<String, Object> services;
    private static Properties config;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
        config = new Properties();
        try (var in = Files.newInputStream(Path.of("config/application.properties"))) {
            config.load(in);
        }
    }

    @Test
    void theStackHasKafkaItsTopicsTheSandboxAndThePipeline() {
        assertThat(services).containsKeys("kafka", "kafka-init", "sandbox", "pipeline");
        assertThat(service("kafka").get("image")).isEqualTo(ContainerKafkaBroker.IMAGE);
        assertThat(service("kafka-init").get("image")).isEqualTo(ContainerKafkaBroker.IMAGE);
    }

    @Test
    void everyPipelineVariableIsOneTheConfigurationReads() {
        Set<String> readByConfig = new TreeSet<>();
        config.values().forEach(value -> {
            Matcher m = ENV_PLACEHOLDER.matcher(value.toString());
            while (m.find()) {
                readByConfig.add(m.group(1));
            }
        });
        Set<String> set = new TreeSet<>(environment("pipeline").keySet());
        set.removeIf(name -> name.startsWith("OTEL_")); // read by the OpenTelemetry SDK
        assertThat(readByConfig).containsAll(set);
        assertThat(set).contains("KAFKA_BOOTSTRAP_SERVERS", "IVVY_BASE_URL", "IVVY_API_KEY", "IVVY_API_SECRET");
    }

    @Test
    void thePipelineIsWiredToTheSandboxAndTheBrokersInternalListener() {
        Map<String, String> env = environment("pipeline");
        @SuppressWarnings("unchecked")
        List<String> sandboxCommand = (List<String>) service("sandbox").get("command");
        String port = sandboxCommand.get(sandboxCommand.indexOf("--port") + 1);
        assertThat(env.get("IVVY_BASE_URL")).isEqualTo("${IVVY_BASE_URL:-http://sandbox:" + port + "}");
        assertThat(env.get("IVVY_API_KEY")).isEqualTo("${IVVY_API_KEY:-sandbox-key}");
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised).contains("INTERNAL://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(env.get("MANAGEMENT_PORT")).isEqualTo("9876");
    }

    /** Issue 19, item K: the pipeline's published port and its health check are the management port and a served path. */
    @Test
    @SuppressWarnings("unchecked")
    void thePublishedPortAndTheHealthCheckAreTheManagementPortsAndAServedPath() throws IOException {
        String port = environment("pipeline").get("MANAGEMENT_PORT");
        assertThat((List<Object>) service("pipeline").get("ports")).extracting(String::valueOf)
                .contains(port + ":" + port);
        String check = String.join(" ", (List<String>) ((Map<String, Object>) service("pipeline").get("healthcheck")).get("test"));
        Matcher target = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+).*GET (\\S+) ").matcher(check);
        assertThat(target.find()).as(check).isTrue();
        assertThat(target.group(1)).isEqualTo(port);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("routes/management.yaml")))
                .contains("platform-http:" + target.group(2));
    }

    @Test
    void kafkaInitCreatesEveryDefaultTopicTheSyncStateCompacted() {
        Set<String> defaults = config.stringPropertyNames().stream().filter(k -> k.startsWith("topic."))
                .map(k -> config.getProperty(k).replaceAll(".*\\{\\{env:[A-Z_]+:(.*)}}", "$1"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(defaults).hasSize(7).contains("ivvy.contact-ids", "ivvy.contact-ids.dlt", "ivvy.contact-sync-state");
        String script = String.join("\n", command("kafka-init"));
        assertThat(defaults).allSatisfy(topic -> assertThat(script).contains(" " + topic));
        assertThat(script.lines().filter(line -> line.contains("--topic ivvy.contact-sync-state")))
                .singleElement().asString().contains("--config cleanup.policy=compact");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theObserveProfileScrapesThePipelineAndProvisionsTheDashboard() throws IOException {
        assertThat((List<String>) service("prometheus").get("profiles")).containsExactly("observe");
        assertThat((List<String>) service("grafana").get("profiles")).containsExactly("observe");
        Map<String, Object> scrape = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) new Load(
                LoadSettings.builder().build()).loadFromString(Files.readString(Path.of("observability/prometheus.yml"))))
                .get("scrape_configs")).get(0);
        assertThat(scrape.get("metrics_path")).isEqualTo("/observe/metrics");
        String target = (String) ((List<Object>) ((Map<String, Object>) ((List<Object>) scrape.get("static_configs"))
                .get(0)).get("targets")).get(0);
        assertThat(target).isEqualTo("pipeline:" + environment("pipeline").get("MANAGEMENT_PORT"));
        for (Object volume : (List<Object>) service("grafana").get("volumes")) {
            String hostPath = volume.toString().substring(0, volume.toString().indexOf(':'));
            assertThat(Path.of(hostPath)).as(hostPath).exists();
        }
        assertThat((List<Object>) service("grafana").get("volumes")).anySatisfy(volume ->
                assertThat(volume.toString()).startsWith("./" + DashboardQueries.DASHBOARD.getParent() + ":"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTracingProfileRunsJaegerWhereThePipelineSendsItsTraces() {
        assertThat((List<String>) service("jaeger").get("profiles")).containsExactly("tracing");
        assertThat(environment("pipeline").get("OTEL_EXPORTER_OTLP_ENDPOINT")).isEqualTo("http://jaeger:4318");
        assertThat(environment("pipeline").get("OTEL_TRACES_EXPORTER")).isEqualTo("${OTEL_TRACES_EXPORTER:-none}");
        assertThat((List<Object>) service("jaeger").get("ports")).contains("4318:4318");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(String name) {
        return (List<String>) service(name).get("command");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, Object> env = (Map<String, Object>) service(name).get("environment");
        return env.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
