package dev.ivvycontact.pipeline;

import dev.ivvycontact.resilience.GroupBudget;
import dev.ivvycontact.signing.ApiCredentials;
import org.apache.camel.util.TimeUtils;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The pipeline's configuration, read from Camel's property placeholders (config/application.properties, where every
 * value names the environment variable that overrides it). Kafka client settings pass through unchanged: properties
 * {@code kafka.client.<name>} and environment variables {@code KAFKA_CLIENT_<NAME>} ('_' for '.').
 */
public record PipelineSettings(
        String bootstrapServers,
        String groupId,
        Topics topics,
        String ivvyBaseUrl,
        ApiCredentials credentials,
        int maxInFlight,
        double maxRequestsPerSecond,
        double groupMaxRequestsPerSecond,
        int maxAttempts,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        int circuitTransientRun,
        Duration circuitFirstProbeDelay,
        Duration circuitMaxProbeDelay,
        int managementPort,
        int maxRequestSize,
        Sync sync,
        Processing processing,
        Map<String, String> kafkaClientOverrides) {

    /**
     * PIPELINE_PROCESSING_GUARANTEE: at least once (the default) or exactly once, with its transactions' id (empty:
     * the group id and the instance's name), and when they commit: after {@code transactionInterval}, or sooner once
     * they hold {@code transactionMaxRecords} records.
     */
    public record Processing(boolean exactlyOnce, String transactionalId, Duration transactionInterval,
                             int transactionMaxRecords) {

        static Processing of(String guarantee, String transactionalId, Duration interval, int maxRecords) {
            boolean exactlyOnce = switch (guarantee.trim().toLowerCase(Locale.ROOT)) {
                case "at_least_once" -> false;
                case "exactly_once", "exactly_once_v2" -> true;
                default -> throw new IllegalStateException("PIPELINE_PROCESSING_GUARANTEE must be at_least_once or "
                        + "exactly_once, is '" + guarantee + "'");
            };
            return new Processing(exactlyOnce, transactionalId.trim(), interval, maxRecords);
        }

        /** The transactional id of this instance: the one set, else one made of the group and the instance's name. */
        public String transactionalId(String groupId, String instanceId) {
            return transactionalId.isEmpty() ? groupId + "-" + instanceId : transactionalId;
        }

        @Override
        public String toString() {
            return exactlyOnce ? "exactly_once (transactions every " + transactionInterval.toMillis() + " ms or "
                    + transactionMaxRecords + " records)" : "at_least_once";
        }
    }

    /**
     * The change capture: every {@code interval} (null: off) the window from the watermark less {@code overlap} to
     * now, listed {@code perPage} at a time; the watermark kept in {@code stateTopic} under {@code account}'s name.
     */
    public record Sync(Duration interval, Duration overlap, Duration settle, int perPage, int chunkIds, String stateTopic,
                       String account) {

        /** A window reaching back less than it settles could miss what iVvy wrote late into the one before. */
        public Sync {
            if (overlap.compareTo(settle) < 0) {
                throw new IllegalArgumentException("SYNC_OVERLAP (" + overlap.toSeconds() + " s) must be at least "
                        + "SYNC_SETTLE (" + settle.toSeconds() + " s): a change iVvy makes visible late would fall "
                        + "behind a window already read");
            }
        }

        public boolean enabled() {
            return interval != null;
        }
    }

    /**
     * What the {@code sync} command may send per second, beside the running group: its own limit, capped at the
     * group budget's slice for it (0: none).
     */
    public double syncCommandRequestsPerSecond() {
        if (groupMaxRequestsPerSecond <= 0) {
            return maxRequestsPerSecond;
        }
        double slice = GroupBudget.forSyncCommand(groupMaxRequestsPerSecond);
        return maxRequestsPerSecond <= 0 ? slice : Math.min(maxRequestsPerSecond, slice);
    }

    public static final String CLIENT_PREFIX = "kafka.client.";
    private static final String CLIENT_ENV_PREFIX = "KAFKA_CLIENT_";

    /** Reads every setting through {@code property} (a placeholder lookup), and client overrides from both sources. */
    public static PipelineSettings read(Function<String, Optional<String>> property, Properties allProperties,
                                        Map<String, String> environment) {
        Function<String, String> required = key -> property.apply(key)
                .orElseThrow(() -> new IllegalStateException("configuration property '" + key + "' is missing"));
        return new PipelineSettings(
                required.apply("kafka.bootstrap-servers"),
                required.apply("kafka.group-id"),
                new Topics(required.apply("topic.input"), required.apply("topic.contacts"),
                        required.apply("topic.registrations"), required.apply("topic.invoices"),
                        required.apply("topic.invitations"), required.apply("topic.dlt")),
                property.apply("ivvy.base-url").orElse(""),
                new ApiCredentials(property.apply("ivvy.api-key").orElse(""), property.apply("ivvy.secret").orElse("")),
                positive(required, "pipeline.max-in-flight"),
                notNegative(required, "pipeline.max-requests-per-second"),
                notNegative(required, "pipeline.group-max-requests-per-second"),
                positive(required, "pipeline.max-attempts"),
                Duration.ofMillis(positive(required, "pipeline.retry-initial-delay-ms")),
                Duration.ofMillis(positive(required, "pipeline.retry-max-delay-ms")),
                positive(required, "pipeline.circuit-transient-run"),
                Duration.ofMillis(positive(required, "pipeline.circuit-first-probe-ms")),
                Duration.ofMillis(positive(required, "pipeline.circuit-max-probe-ms")),
                Integer.parseInt(required.apply("management.port")),
                positive(required, "kafka.max-request-size"),
                new Sync(optionalDuration(property, "sync.interval"), duration(required, "sync.overlap"),
                        duration(required, "sync.settle"), positive(required, "sync.per-page"),
                        positive(required, "sync.chunk-ids"), required.apply("topic.sync-state"),
                        property.apply("sync.account").filter(name -> !name.isBlank()).map(String::trim)
                                .orElse(property.apply("ivvy.base-url").orElse("").trim().replaceAll("/+$", ""))),
                Processing.of(required.apply("pipeline.processing-guarantee"),
                        property.apply("pipeline.transactional-id").orElse(""),
                        Duration.ofMillis(positive(required, "pipeline.transaction-interval-ms")),
                        positive(required, "pipeline.transaction-max-records")),
                clientOverrides(property, allProperties, environment));
    }

    /** The settings `run` and `check` can't do without, each named by its environment variable. */
    public Optional<String> missingIvvySettings() {
        StringBuilder missing = new StringBuilder();
        if (ivvyBaseUrl.isBlank()) {
            missing.append("IVVY_BASE_URL ");
        }
        if (credentials.apiKey().isBlank()) {
            missing.append("IVVY_API_KEY ");
        }
        if (credentials.apiSecret().isBlank()) {
            missing.append("IVVY_API_SECRET ");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(missing.toString().strip());
    }

    /** Common client properties: bootstrap servers plus every pass-through setting (security, SASL, TLS). */
    public Properties kafkaClientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.putAll(kafkaClientOverrides);
        return props;
    }

    /** A duration as Camel reads them: 5m, 30s, 1h30m, or milliseconds. */
    private static Duration duration(Function<String, String> required, String key) {
        return Duration.ofMillis(TimeUtils.toMilliSeconds(required.apply(key)));
    }

    private static Duration optionalDuration(Function<String, Optional<String>> property, String key) {
        return property.apply(key).filter(text -> !text.isBlank())
                .map(text -> Duration.ofMillis(TimeUtils.toMilliSeconds(text))).orElse(null);
    }

    private static double notNegative(Function<String, String> required, String key) {
        double value = Double.parseDouble(required.apply(key));
        if (value < 0) {
            throw new IllegalStateException("configuration property '" + key + "' must be 0 or more, is " + value);
        }
        return value;
    }

    private static int positive(Function<String, String> required, String key) {
        int value = Integer.parseInt(required.apply(key));
        if (value < 1) {
            throw new IllegalStateException("configuration property '" + key + "' must be at least 1, is " + value);
        }
        return value;
    }

    private static Map<String, String> clientOverrides(Function<String, Optional<String>> property,
                                                       Properties allProperties, Map<String, String> environment) {
        Map<String, String> overrides = new TreeMap<>();
        for (String key : allProperties.stringPropertyNames()) {
            if (key.startsWith(CLIENT_PREFIX)) {
                property.apply(key).ifPresent(v -> overrides.put(key.substring(CLIENT_PREFIX.length()), v));
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(CLIENT_ENV_PREFIX) && name.length() > CLIENT_ENV_PREFIX.length()) {
                overrides.put(name.substring(CLIENT_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return Map.copyOf(overrides);
    }

    /** Every setting but the secret; the key masked, pass-through client settings by name only (they may hold passwords). */
    @Override
    public String toString() {
        return "PipelineSettings[bootstrapServers=" + bootstrapServers + ", groupId=" + groupId + ", topics=" + topics
                + ", ivvyBaseUrl=" + ivvyBaseUrl + ", credentials=" + credentials + ", maxInFlight=" + maxInFlight
                + ", maxRequestsPerSecond=" + maxRequestsPerSecond + ", groupMaxRequestsPerSecond="
                + groupMaxRequestsPerSecond + ", maxAttempts=" + maxAttempts
                + ", retryDelays=" + retryInitialDelay.toMillis() + ".." + retryMaxDelay.toMillis() + " ms"
                + ", circuitTransientRun=" + circuitTransientRun + ", managementPort=" + managementPort
                + ", maxRequestSize=" + maxRequestSize + ", sync=" + sync + ", processing=" + processing
                + ", kafkaClientOverrides=" + kafkaClientOverrides.keySet() + "]";
    }
}
