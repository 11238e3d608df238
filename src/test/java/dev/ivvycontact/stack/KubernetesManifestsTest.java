package dev.ivvycontact.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.commands.PipelineCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * No cluster runs here, so deploy/kubernetes is held against the module it deploys: the files the kustomization
 * names, the variables the configuration reads, the management port and health paths, the container's command and
 * user, the drain, and KEDA's view of the consumer group and the input topic.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Z0-9_]+)");
    private static Map<String, Object> kustomization;
    private static Map<String, Map<String, Object>> byKind;
    private static Properties config;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Load yaml = new Load(LoadSettings.builder().build());
        kustomization = (Map<String, Object>) yaml.loadFromString(Files.readString(DIR.resolve("kustomization.yaml")));
        byKind = new java.util.HashMap<>();
        for (Object resource : (List<Object>) kustomization.get("resources")) {
            Map<String, Object> manifest = (Map<String, Object>) yaml.loadFromString(Files.readString(DIR.resolve((String) resource)));
            byKind.put((String) manifest.get("kind"), manifest);
        }
        config = new Properties();
        try (var in = Files.newInputStream(Path.of("config/application.properties"))) {
            config.load(in);
        }
    }

    @Test
    void theKustomizationNamesEveryManifestAndAnImage() {
        assertThat(byKind).containsOnlyKeys("ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget",
                "ScaledObject");
        assertThat(list(kustomization, "images")).extracting(image -> map(image).get("name"))
                .containsExactly(container().get("image"));
    }

    @Test
    void everyVariableIsOneTheConfigurationReadsAndTheCredentialsAreInTheSecret() {
        Set<String> readByConfig = new TreeSet<>();
        config.values().forEach(value -> {
            Matcher m = ENV_PLACEHOLDER.matcher(value.toString());
            while (m.find()) {
                readByConfig.add(m.group(1));
            }
        });
        readByConfig.add("LOG_FORMAT"); // read by log4j2.xml
        Map<String, Object> configData = map(byKind.get("ConfigMap").get("data"));
        Map<String, Object> secretData = map(byKind.get("Secret").get("stringData"));
        assertThat(readByConfig).containsAll(configData.keySet()).containsAll(secretData.keySet());
        assertThat(secretData).containsOnlyKeys("IVVY_API_KEY", "IVVY_API_SECRET");
        assertThat(configData).doesNotContainKeys("IVVY_API_KEY", "IVVY_API_SECRET");
        List<String> sources = list(container(), "envFrom").stream()
                .map(source -> (String) map(map(source).values().iterator().next()).get("name")).toList();
        assertThat(sources).containsExactlyInAnyOrder((String) meta("ConfigMap").get("name"), (String) meta("Secret").get("name"));
    }

    @Test
    void probesAndTheServiceUseTheManagementPortAndTheHealthPathsTheRoutesServe() throws IOException {
        String managementRoutes = Files.readString(Path.of("routes/management.yaml"));
        int port = Integer.parseInt((String) map(byKind.get("ConfigMap").get("data")).get("MANAGEMENT_PORT"));
        Map<String, Object> portSpec = map(list(container(), "ports").get(0));
        assertThat(portSpec.get("containerPort")).isEqualTo(port);
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(map(container().get(probe)).get("httpGet"));
            assertThat(get.get("port")).isEqualTo(portSpec.get("name"));
            assertThat(managementRoutes).contains("platform-http:" + get.get("path"));
        }
        assertThat(map(map(container().get("livenessProbe")).get("httpGet")).get("path")).isEqualTo("/observe/health/live");
        assertThat(map(map(container().get("readinessProbe")).get("httpGet")).get("path")).isEqualTo("/observe/health/ready");
        Map<String, Object> servicePort = map(list(map(byKind.get("Service").get("spec")), "ports").get(0));
        assertThat(servicePort.get("port")).isEqualTo(port);
        assertThat(servicePort.get("targetPort")).isEqualTo(portSpec.get("name"));
    }

    @Test
    void theContainerRunsTheRunCommandAsTheImagesUserReadOnlyAndDrainsBeforeItIsKilled() throws IOException {
        List<String> args = list(container(), "args").stream().map(String.class::cast).toList();
        assertThat(args).containsExactly("run");
        assertThat(new CommandLine(new PipelineCli()).getSubcommands()).containsKey(args.get(0));

        Matcher user = Pattern.compile("useradd .*--uid (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(user.find()).isTrue();
        Map<String, Object> podSecurity = map(podSpec().get("securityContext"));
        assertThat(podSecurity.get("runAsUser")).isEqualTo(Integer.parseInt(user.group(1)));
        assertThat(podSecurity.get("runAsNonRoot")).isEqualTo(true);
        Map<String, Object> containerSecurity = map(container().get("securityContext"));
        assertThat(containerSecurity.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(containerSecurity.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(container(), "volumeMounts")).extracting(mount -> map(mount).get("mountPath")).contains("/tmp");
        assertThat(map(container().get("resources"))).containsKeys("requests", "limits");

        // The consumer's drain (30 s by default, see KeyedKafkaEndpoint) must end before the pod is killed.
        assertThat((Integer) podSpec().get("terminationGracePeriodSeconds")).isGreaterThan(30);
    }

    @Test
    void theDisruptionBudgetTheServiceAndKedaPointAtTheDeployment() {
        Map<String, Object> podLabels = map(map(map(spec("Deployment").get("template")).get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec("PodDisruptionBudget").get("selector")).get("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(spec("Service").get("selector")));
        assertThat(map(spec("ScaledObject").get("scaleTargetRef")).get("name")).isEqualTo(meta("Deployment").get("name"));
    }

    @Test
    void kedaScalesOnTheInputsLagUpToItsPartitionCount() throws IOException {
        Map<String, Object> configData = map(byKind.get("ConfigMap").get("data"));
        Map<String, Object> trigger = map(list(spec("ScaledObject"), "triggers").get(0));
        assertThat(trigger.get("type")).isEqualTo("kafka");
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertThat(metadata.get("topic")).isEqualTo(configData.get("TOPIC_INPUT"));
        assertThat(metadata.get("consumerGroup")).isEqualTo(configData.get("KAFKA_GROUP_ID"));
        assertThat(metadata.get("bootstrapServers")).isEqualTo(configData.get("KAFKA_BOOTSTRAP_SERVERS"));
        // The ceiling is the input's partition count as the stack creates it: more replicas would sit idle.
        Matcher partitions = Pattern.compile("--partitions (\\d+)").matcher(Files.readString(Path.of("docker-compose.yml")));
        assertThat(partitions.find()).isTrue();
        assertThat(spec("ScaledObject").get("maxReplicaCount")).isEqualTo(Integer.parseInt(partitions.group(1)));
    }

    private static Map<String, Object> container() {
        return map(list(podSpec(), "containers").get(0));
    }

    private static Map<String, Object> podSpec() {
        return map(map(spec("Deployment").get("template")).get("spec"));
    }

    private static Map<String, Object> spec(String kind) {
        return map(byKind.get(kind).get("spec"));
    }

    private static Map<String, Object> meta(String kind) {
        return map(byKind.get(kind).get("metadata"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? new ArrayList<>() : (List<Object>) value;
    }
}
