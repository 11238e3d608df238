package dev.ivvycontact.commands;

import dev.ivvycontact.client.IvvyError;
import dev.ivvycontact.client.IvvyPing;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.pipeline.PipelineSettings;
import dev.ivvycontact.pipeline.Topics;
import dev.ivvycontact.signing.IvvySigner;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;

/** One line per check, {@code OK name: detail} or {@code FAIL name: what to do}; exit 0 only when all are OK. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verifies the configuration, that Kafka answers and the topics exist (with SYNC_INTERVAL set, the "
                + "compacted sync-state topic too), and the iVvy credentials (a signed test?action=ping). Prints one "
                + "line per check; exits 1 if any fails.")
public final class CheckCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private boolean allOk = true;

    @Override
    public Integer call() {
        PipelineSettings settings;
        try {
            settings = CommandSettings.load();
        } catch (Exception e) {
            fail("configuration", "can't be read: " + e.getMessage());
            return 1;
        }
        settings.missingIvvySettings().ifPresentOrElse(
                missing -> fail("configuration", "set " + missing),
                () -> ok("configuration", "iVvy " + settings.ivvyBaseUrl() + " as key " + settings.credentials().maskedKey()
                        + ", Kafka " + settings.bootstrapServers() + ", group " + settings.groupId()));
        checkKafka(settings);
        if (settings.missingIvvySettings().isEmpty()) {
            checkIvvy(settings);
        } else {
            fail("ivvy", "not checked: the iVvy settings are incomplete");
        }
        return allOk ? 0 : 1;
    }

    private void checkKafka(PipelineSettings settings) {
        Properties props = settings.kafkaClientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            ok("kafka", brokers + " broker(s) answered at " + settings.bootstrapServers());
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Topics t = settings.topics();
            Set<String> missing = new TreeSet<>(List.of(t.input(), t.contacts(), t.registrations(), t.invoices(),
                    t.invitations(), t.deadLetters()));
            missing.removeAll(existing);
            if (missing.isEmpty()) {
                ok("topics", "all 6 exist");
            } else {
                fail("topics", "missing " + String.join(", ", missing)
                        + ": create them (the pipeline does not rely on auto-creation; see README)");
            }
            if (settings.sync().enabled()) {
                checkSyncState(admin, settings.sync().stateTopic(), existing.contains(settings.sync().stateTopic()));
            }
        } catch (Exception e) {
            fail("kafka", "no answer from " + settings.bootstrapServers() + " within " + TIMEOUT.toSeconds()
                    + " s (" + rootCause(e) + "): check KAFKA_BOOTSTRAP_SERVERS, the network and KAFKA_CLIENT_* security settings");
        }
    }

    /** The change capture keeps its watermark in a compacted topic: deleted by retention, the sync would start over. */
    private void checkSyncState(Admin admin, String topic, boolean exists) throws Exception {
        if (!exists) {
            fail("sync-state", "SYNC_INTERVAL is set but " + topic + " is missing: create it with cleanup.policy=compact "
                    + "(see README, Change capture)");
            return;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            ok("sync-state", topic + " exists and is compacted");
        } else {
            fail("sync-state", topic + " has cleanup.policy=" + (policy == null ? "?" : policy.value())
                    + ": make it compact, or retention will delete the watermark");
        }
    }

    private void checkIvvy(PipelineSettings settings) {
        IvvyPing ping = new IvvyPing(new IvvySigner(settings.credentials(), Clock.systemUTC()), settings.ivvyBaseUrl(), TIMEOUT);
        long started = System.nanoTime();
        HttpResponse<byte[]> answer;
        try {
            answer = ping.ping();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("ivvy", "interrupted");
            return;
        } catch (Exception e) {
            fail("ivvy", "can't reach " + settings.ivvyBaseUrl() + " (" + rootCause(e) + "): check IVVY_BASE_URL and the network");
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int status = answer.statusCode();
        IvvyError error = IvvyError.parse(answer.body(), Json.newMapper()).orElse(null);
        if (status == 200 && error == null) {
            ok("ivvy", "signed ping answered by " + settings.ivvyBaseUrl() + " in " + millis + " ms");
        } else if (error != null && error.hasSpecificCode(IvvyError.REQUEST_STALE)) {
            fail("ivvy", "iVvy says the request is stale: this machine's clock is more than 5 minutes off (sync it with NTP)");
        } else if (status == 401 || status == 403) {
            fail("ivvy", "iVvy refused the credentials (" + describe(status, error)
                    + "): check IVVY_API_KEY and IVVY_API_SECRET");
        } else if (status == 463) {
            fail("ivvy", "iVvy says the API key is revoked (" + describe(status, error) + "): issue a new key");
        } else if (status == 404) {
            fail("ivvy", "no iVvy API at " + settings.ivvyBaseUrl() + " (HTTP 404): check IVVY_BASE_URL and its region");
        } else {
            fail("ivvy", "iVvy answered " + describe(status, error) + " to a signed ping");
        }
    }

    private static String describe(int status, IvvyError error) {
        return error == null ? "HTTP " + status : error.describe();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private void ok(String name, String detail) {
        System.out.println("OK " + name + ": " + detail);
    }

    private void fail(String name, String reason) {
        allOk = false;
        System.out.println("FAIL " + name + ": " + reason);
    }
}
