package dev.ivvycontact.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.consumer.KeyedKafkaEndpoint;
import dev.ivvycontact.deadletter.DeadLetterRefusals;
import dev.ivvycontact.observe.DeadLetterHealthCheck;
import dev.ivvycontact.observe.IvvyCircuitHealthCheck;
import dev.ivvycontact.pipeline.PipelineBeans;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * No cluster runs here, so deploy/kubernetes is checked where it can be: every manifest of the base and of each
 * component parses into its Kubernetes API type (fabric8's model) with no field the type does not know, the files the
 * kustomizations name exist, and the manifests are held against the module they deploy: the variables the
 * configuration reads, the management port and health paths, the command and user, the shutdown, KEDA's view of the
 * group, and the rules of issue 19 (no secret in the applied set, replicas left to KEDA, readiness that does not
 * follow iVvy, a grace period sized from the settings, exit on OOM, probes, alerts, network policy).
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Z0-9_]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Load YAML = new Load(LoadSettings.builder().build());
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "ConfigMap", ConfigMap.class, "Deployment", Deployment.class, "Service", Service.class,
            "PodDisruptionBudget", PodDisruptionBudget.class, "NetworkPolicy", NetworkPolicy.class,
            "ServiceMonitor", ServiceMonitor.class, "PrometheusRule", PrometheusRule.class);
    /** KEDA's resources have no fabric8 model: the fields of theirs this module uses, by path. */
    private static final Map<String, Set<String>> KEDA_FIELDS = Map.of(
            "ScaledObject", Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "cooldownPeriod", "triggers"),
            "TriggerAuthentication", Set.of("secretTargetRef"));

    private static Map<String, Object> base;
    private static Map<String, Map<String, Object>> baseByKind;
    private static Map<String, Map<String, Object>> componentByKind;
    private static Map<String, Map<String, Object>> components;
    private static Properties config;

    @BeforeAll
    static void load() throws IOException {
        base = yaml(DIR.resolve("kustomization.yaml"));
        baseByKind = manifests(DIR, base);
        components = new HashMap<>();
        componentByKind = new HashMap<>();
        try (Stream<Path> dirs = Files.list(DIR.resolve("components"))) {
            for (Path dir : dirs.toList()) {
                Map<String, Object> component = yaml(dir.resolve("kustomization.yaml"));
                assertThat(component.get("kind")).isEqualTo("Component");
                components.put(dir.getFileName().toString(), component);
                componentByKind.putAll(manifests(dir, component));
            }
        }
        config = new Properties();
        try (var in = Files.newInputStream(Path.of("config/application.properties"))) {
            config.load(in);
        }
    }

    @Test
    void everyManifestParsesIntoItsKubernetesTypeWithNoUnknownField() throws Exception {
        assertThat(baseByKind).containsOnlyKeys("ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "ScaledObject");
        assertThat(componentByKind).containsOnlyKeys("TriggerAuthentication", "ServiceMonitor", "PrometheusRule",
                "NetworkPolicy");
        List<Map<String, Object>> all = new ArrayList<>(baseByKind.values());
        all.addAll(componentByKind.values());
        for (Map<String, Object> manifest : all) {
            String kind = (String) manifest.get("kind");
            if (KEDA_FIELDS.containsKey(kind)) {
                assertThat(manifest.get("apiVersion")).isEqualTo("keda.sh/v1alpha1");
                assertThat(map(manifest.get("spec")).keySet()).as(kind).isSubsetOf(KEDA_FIELDS.get(kind));
                continue;
            }
            HasMetadata typed = JSON.convertValue(manifest, TYPES.get(kind));
            assertThat(typed.getApiVersion()).as(kind).isEqualTo(manifest.get("apiVersion"));
            assertThat(unknownFields(typed, kind, new IdentityHashMap<>())).as(kind + ": fields its type does not know").isEmpty();
        }
        assertThat(list(base, "images")).extracting(image -> map(image).get("name")).containsExactly(container().getImage());
    }

    /** The check itself: a misspelt field is caught (what kubectl would reject, or silently drop). */
    @Test
    void aMisspeltFieldIsCaught() {
        Map<String, Object> pdb = new HashMap<>(baseByKind.get("PodDisruptionBudget"));
        Map<String, Object> spec = new HashMap<>(map(pdb.get("spec")));
        spec.put("maxUnavailabe", 1);
        pdb.put("spec", spec);
        assertThat(unknownFields(JSON.convertValue(pdb, PodDisruptionBudget.class), "pdb", new IdentityHashMap<>()))
                .containsExactly("pdb.spec.maxUnavailabe");
    }

    @Test
    void everyVariableIsOneTheConfigurationReadsAndTheCredentialsStayOutOfTheAppliedSet() throws IOException {
        Set<String> readByConfig = new TreeSet<>();
        config.values().forEach(value -> {
            Matcher m = ENV_PLACEHOLDER.matcher(value.toString());
            while (m.find()) {
                readByConfig.add(m.group(1));
            }
        });
        readByConfig.add("LOG_FORMAT"); // read by log4j2.xml
        ConfigMap configMap = typed("ConfigMap", ConfigMap.class);
        assertThat(readByConfig).containsAll(configMap.getData().keySet());
        assertThat(configMap.getData()).doesNotContainKeys("IVVY_API_KEY", "IVVY_API_SECRET");

        // Issue 19, item F: no Secret is applied (an apply would put placeholders over the real one); the README says
        // how to create it, with the names the Deployment reads.
        assertThat(baseByKind).doesNotContainKey("Secret");
        assertThat(componentByKind).doesNotContainKey("Secret");
        List<String> sources = container().getEnvFrom().stream().map(KubernetesManifestsTest::sourceName).toList();
        assertThat(sources).containsExactly(configMap.getMetadata().getName(), "ivvy-contact-pipeline-credentials");
        String readme = Files.readString(Path.of("README.md"));
        Matcher create = Pattern.compile("kubectl create secret generic (\\S+) --from-env-file=(\\S+)").matcher(readme);
        assertThat(create.find()).as("README: how to create the credentials").isTrue();
        assertThat(create.group(1)).isEqualTo("ivvy-contact-pipeline-credentials");
        assertThat(create.group(2)).endsWith(".env");
        assertThat(Files.readString(Path.of(".gitignore"))).contains("deploy/kubernetes/*.env");
        Matcher keys = Pattern.compile("(?m)^(IVVY_API_KEY|IVVY_API_SECRET)=").matcher(readme);
        Set<String> documented = new TreeSet<>();
        while (keys.find()) {
            documented.add(keys.group(1));
        }
        assertThat(documented).containsExactly("IVVY_API_KEY", "IVVY_API_SECRET").allMatch(readByConfig::contains);
    }

    /** Issue 19, item G: KEDA owns the replicas; a replicas field would scale the group back on every apply. */
    @Test
    void theReplicasAreLeftToKeda() {
        assertThat(typed("Deployment", Deployment.class).getSpec().getReplicas()).isNull();
        assertThat(map(spec("ScaledObject").get("scaleTargetRef")).get("name"))
                .isEqualTo(typed("Deployment", Deployment.class).getMetadata().getName());
    }

    /**
     * Issue 19, item H: in an iVvy outage no pod may turn NotReady for it (rollouts and node drains would stall);
     * a NotReady pod never blocks a drain.
     */
    @Test
    void readinessDoesNotFollowIvvyAndNoPodBlocksADrain() {
        IvvyCircuit circuit = new IvvyCircuit(20, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                Clock.systemUTC());
        IvvyCircuitHealthCheck ivvy = new IvvyCircuitHealthCheck(circuit, new CircuitGate(circuit, (d, t) -> { }));
        DeadLetterHealthCheck deadLetters = new DeadLetterHealthCheck(new DeadLetterRefusals(Duration.ofSeconds(1), () -> 0));
        assertThat(ivvy.isReadiness()).isFalse();
        assertThat(ivvy.isLiveness()).isFalse();
        assertThat(deadLetters.isReadiness()).isFalse();
        assertThat(deadLetters.isLiveness()).isFalse();
        assertThat(typed("PodDisruptionBudget", PodDisruptionBudget.class).getSpec().getUnhealthyPodEvictionPolicy())
                .isEqualTo("AlwaysAllow");
    }

    /** Issue 19, item I: the pod is killed only after the drain and the change capture's hand-over, and exits on OOM. */
    @Test
    void theGracePeriodIsSizedFromTheSettingsAndTheJvmExitsOnOutOfMemory() throws IOException {
        long drainAndHandOver = Duration.ofMillis(KeyedKafkaEndpoint.DEFAULT_DRAIN_TIMEOUT_MS)
                .plus(PipelineBeans.SYNC_HAND_OVER).toSeconds();
        long camelShutdown = Long.parseLong(config.getProperty("camel.main.shutdown-timeout").trim());
        long grace = typed("Deployment", Deployment.class).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(camelShutdown).as("Camel's shutdown timeout").isGreaterThanOrEqualTo(drainAndHandOver);
        assertThat(grace).as("the grace period").isGreaterThanOrEqualTo(camelShutdown + 10);
        String javaOptions = container().getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst().orElseThrow().getValue();
        assertThat(javaOptions).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(Files.readString(Path.of("Dockerfile"))).containsPattern("ENTRYPOINT .*-XX:\\+ExitOnOutOfMemoryError");
    }

    @Test
    void theImageStartsWithTheClassDataSharingArchiveItsBuildMadeForItsOwnJvmAndJar() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher archive = Pattern.compile("ENTRYPOINT .*\"-XX:SharedArchiveFile=([^\"]+)\".*\"-jar\", \"([^\"]+)\"")
                .matcher(dockerfile);
        assertThat(archive.find()).as("the entry point's archive and jar").isTrue();
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtimeStage).as("built in the runtime stage, by its JVM, for the jar the entry point runs")
                .containsPattern("RUN sh \\S+archive\\.sh " + Pattern.quote(archive.group(2)) + " "
                        + Pattern.quote(archive.group(1)));
        assertThat(runtimeStage).contains("COPY deploy/cds/archive.sh ");
    }

    @Test
    void probesAndTheServiceUseTheManagementPortAndTheHealthPathsTheRoutesServe() throws IOException {
        String managementRoutes = Files.readString(Path.of("routes/management.yaml"));
        int port = Integer.parseInt(typed("ConfigMap", ConfigMap.class).getData().get("MANAGEMENT_PORT"));
        Container container = container();
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(port);
        String portName = container.getPorts().get(0).getName();
        // Issue 19, item J: a startup probe gates the others, so a slow start is not a failed liveness.
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(portName);
            assertThat(managementRoutes).contains("platform-http:" + probe.getHttpGet().getPath());
        }
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(container.getStartupProbe().getFailureThreshold() * container.getStartupProbe().getPeriodSeconds())
                .isGreaterThanOrEqualTo(30);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        Service service = typed("Service", Service.class);
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(port);
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo(portName);
    }

    @Test
    void theContainerRunsTheRunCommandAsTheImagesUserReadOnly() throws IOException {
        Container container = container();
        assertThat(container.getArgs()).containsExactly("run");
        assertThat(new CommandLine(new PipelineCli()).getSubcommands()).containsKey(container.getArgs().get(0));
        Matcher user = Pattern.compile("useradd .*--uid (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(user.find()).isTrue();
        var pod = typed("Deployment", Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getVolumeMounts()).extracting(mount -> mount.getMountPath()).contains("/tmp");
        assertThat(container.getResources().getRequests()).isNotEmpty();
        assertThat(container.getResources().getLimits()).isNotEmpty();
    }

    @Test
    void theDisruptionBudgetAndTheServiceSelectThePods() {
        Map<String, String> podLabels = typed("Deployment", Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(typed("PodDisruptionBudget", PodDisruptionBudget.class).getSpec()
                .getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(typed("Service", Service.class).getSpec().getSelector());
    }

    /** Issue 19, item J: KEDA reads the group, the topic and the brokers from the pods' own configuration. */
    @Test
    void kedaScalesOnTheInputsLagWithTheDeploymentsOwnSettingsUpToItsPartitionCount() throws IOException {
        Map<String, String> configData = typed("ConfigMap", ConfigMap.class).getData();
        Map<String, Object> trigger = map(list(spec("ScaledObject"), "triggers").get(0));
        assertThat(trigger.get("type")).isEqualTo("kafka");
        Map<String, Object> metadata = map(trigger.get("metadata"));
        assertThat(metadata).doesNotContainKeys("topic", "consumerGroup", "bootstrapServers");
        assertThat(metadata).containsEntry("topicFromEnv", "TOPIC_INPUT").containsEntry("consumerGroupFromEnv", "KAFKA_GROUP_ID")
                .containsEntry("bootstrapServersFromEnv", "KAFKA_BOOTSTRAP_SERVERS");
        assertThat(configData).containsKeys("TOPIC_INPUT", "KAFKA_GROUP_ID", "KAFKA_BOOTSTRAP_SERVERS");
        Matcher partitions = Pattern.compile("--partitions (\\d+)").matcher(Files.readString(Path.of("docker-compose.yml")));
        assertThat(partitions.find()).isTrue();
        assertThat(spec("ScaledObject").get("maxReplicaCount")).isEqualTo(Integer.parseInt(partitions.group(1)));
    }

    /** Issue 19, item J: a secured Kafka: KEDA's TriggerAuthentication and the pipeline's client settings, one secret. */
    @Test
    void theKafkaSaslComponentAuthenticatesKedaAndThePipeline() throws IOException {
        Map<String, Object> component = components.get("kafka-sasl");
        Map<String, Object> auth = componentByKind.get("TriggerAuthentication");
        String authName = (String) map(auth.get("metadata")).get("name");
        List<Map<String, Object>> patches = list(component, "patches").stream().map(KubernetesManifestsTest::map).toList();
        Map<String, Object> scaledObjectPatch = patches.stream().filter(p -> p.containsKey("target")).findFirst().orElseThrow();
        assertThat(map(scaledObjectPatch.get("target"))).containsEntry("kind", "ScaledObject")
                .containsEntry("name", map(baseByKind.get("ScaledObject").get("metadata")).get("name"));
        assertThat((String) scaledObjectPatch.get("patch")).contains("/spec/triggers/0/authenticationRef")
                .contains("name: " + authName);
        assertThat(list(map(auth.get("spec")), "secretTargetRef")).extracting(ref -> map(ref).get("parameter"))
                .containsExactlyInAnyOrder("sasl", "username", "password", "tls");
        Deployment patched = JSON.convertValue(yaml(DIR.resolve("components/kafka-sasl").resolve(
                (String) patches.stream().filter(p -> p.containsKey("path")).findFirst().orElseThrow().get("path"))), Deployment.class);
        List<String> sources = patched.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().stream()
                .map(KubernetesManifestsTest::sourceName).toList();
        assertThat(sources).as("the patch replaces envFrom whole: it keeps what the base has")
                .containsAll(container().getEnvFrom().stream().map(KubernetesManifestsTest::sourceName).toList());
    }

    /** Issue 19, item J: scraping and the alerts an operator needs, on metrics the pipeline serves (see ObserveIT). */
    @Test
    void thePrometheusComponentScrapesTheServiceAndAlertsOnTheFourTroubles() {
        ServiceMonitor monitor = JSON.convertValue(componentByKind.get("ServiceMonitor"), ServiceMonitor.class);
        assertThat(monitor.getSpec().getEndpoints().get(0).getPort())
                .isEqualTo(typed("Service", Service.class).getSpec().getPorts().get(0).getName());
        assertThat(monitor.getSpec().getEndpoints().get(0).getPath()).isEqualTo("/observe/metrics");
        assertThat(monitor.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "ivvy-contact-pipeline");
        assertThat(alertRules()).extracting(Rule::getAlert).contains("IvvyCircuitOpen", "ContactSyncStuck",
                "DeadLettersGrowing", "ConsumerLagRising", "DeadLettersRefused");
        assertThat(alertRules()).allSatisfy(rule -> assertThat(DashboardQueries.metricNames(rule.getExpr().getStrVal()))
                .as(rule.getAlert()).isNotEmpty());
    }

    /** Issue 19, item J: the pod reaches Kafka, iVvy over HTTPS, the collector and DNS, nothing else. */
    @Test
    void theNetworkPolicyAllowsOnlyKafkaIvvyTheCollectorAndDns() {
        NetworkPolicy policy = JSON.convertValue(componentByKind.get("NetworkPolicy"), NetworkPolicy.class);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(typed("Deployment", Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        List<Integer> egressPorts = policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
                .map(NetworkPolicyPort::getPort).map(port -> port.getIntVal()).toList();
        assertThat(egressPorts).containsExactlyInAnyOrder(9092, 443, 4317, 4318, 53, 53);
        int managementPort = Integer.parseInt(typed("ConfigMap", ConfigMap.class).getData().get("MANAGEMENT_PORT"));
        assertThat(policy.getSpec().getIngress()).flatExtracting(rule -> rule.getPorts())
                .extracting(port -> port.getPort().getIntVal()).containsExactly(managementPort);
    }

    private static List<Rule> alertRules() {
        return JSON.convertValue(componentByKind.get("PrometheusRule"), PrometheusRule.class).getSpec().getGroups()
                .stream().flatMap(group -> group.getRules().stream()).toList();
    }

    /** Paths of fields that landed in a fabric8 object's additionalProperties: fields its API type does not have. */
    private static List<String> unknownFields(Object value, String path, Map<Object, Boolean> visited) {
        List<String> unknown = new ArrayList<>();
        if (value == null || visited.put(value, true) != null) {
            return unknown;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", visited));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key, visited)));
            return unknown;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return unknown;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (name.equals("additionalProperties") && field instanceof Map<?, ?> extra) {
                extra.keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                unknown.addAll(unknownFields(field, path + "." + name, visited));
            }
        }
        return unknown;
    }

    private static String sourceName(EnvFromSource source) {
        return source.getConfigMapRef() != null ? source.getConfigMapRef().getName() : source.getSecretRef().getName();
    }

    private static Map<String, Map<String, Object>> manifests(Path dir, Map<String, Object> kustomization) throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        for (Object resource : list(kustomization, "resources")) {
            Path file = dir.resolve((String) resource);
            assertThat(file).as("a resource the kustomization names").exists();
            Map<String, Object> manifest = yaml(file);
            byKind.put((String) manifest.get("kind"), manifest);
        }
        return byKind;
    }

    private static <T> T typed(String kind, Class<T> type) {
        return JSON.convertValue(baseByKind.get(kind), type);
    }

    private static Container container() {
        return typed("Deployment", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, Object> spec(String kind) {
        return map(baseByKind.get(kind).get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) YAML.loadFromString(Files.readString(file));
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
