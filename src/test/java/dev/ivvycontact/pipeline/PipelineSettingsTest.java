package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {

    private final Map<String, String> values = new HashMap<>(Map.ofEntries(
            Map.entry("kafka.bootstrap-servers", "broker:9092"),
            Map.entry("kafka.group-id", "group"),
            Map.entry("topic.input", "in"), Map.entry("topic.contacts", "c"), Map.entry("topic.registrations", "r"),
            Map.entry("topic.invoices", "i"), Map.entry("topic.invitations", "v"), Map.entry("topic.dlt", "d"),
            Map.entry("ivvy.base-url", "https://api.us-west-2.ivvy.com"), Map.entry("ivvy.api-key", "AK-7f3e9a1c44d2"),
            Map.entry("ivvy.secret", "s3cret"),
            Map.entry("pipeline.max-in-flight", "32"), Map.entry("pipeline.max-requests-per-second", "0"),
            Map.entry("pipeline.group-max-requests-per-second", "30"),
            Map.entry("pipeline.max-attempts", "8"), Map.entry("pipeline.circuit-transient-run", "20"),
            Map.entry("pipeline.retry-initial-delay-ms", "250"), Map.entry("pipeline.retry-max-delay-ms", "30000"),
            Map.entry("kafka.max-request-size", "16777216"),
            Map.entry("pipeline.circuit-first-probe-ms", "1000"), Map.entry("pipeline.circuit-max-probe-ms", "30000"),
            Map.entry("management.port", "9876"),
            Map.entry("sync.interval", ""), Map.entry("sync.overlap", "2m"), Map.entry("sync.settle", "5s"), Map.entry("sync.per-page", "100"), Map.entry("sync.chunk-ids", "10000"),
            Map.entry("topic.sync-state", "state"),
            Map.entry("pipeline.processing-guarantee", "at_least_once"), Map.entry("pipeline.transactional-id", ""),
            Map.entry("pipeline.transaction-interval-ms", "100"), Map.entry("pipeline.transaction-max-records", "1000"),
            Map.entry("kafka.client.security.protocol", "SSL"),
            Map.entry("kafka.client.sasl.jaas.config", "from-file")));

    @Test
    void kafkaClientSettingsPassThroughFromPropertiesAndEnvironmentTheLatterWinning() {
        PipelineSettings settings = read(Map.of("KAFKA_CLIENT_SASL_JAAS_CONFIG", "password=\"p\"",
                "KAFKA_CLIENT_SASL_MECHANISM", "PLAIN", "KAFKA_CLIENT_", "ignored", "OTHER", "x"));
        assertThat(settings.kafkaClientOverrides()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL", "sasl.jaas.config", "password=\"p\"", "sasl.mechanism", "PLAIN"));
        assertThat(settings.kafkaClientProperties()).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void toStringShowsNeitherTheSecretNorClientSettingValues() {
        String text = read(Map.of("KAFKA_CLIENT_SASL_JAAS_CONFIG", "password=\"p\"")).toString();
        assertThat(text).contains("sasl.jaas.config").doesNotContain("s3cret").doesNotContain("password");
    }

    /** Issue 8, item 3: the start-up line prints the settings; the API key shows only its last four characters. */
    @Test
    void toStringShowsTheApiKeyMaskedToItsLastFourCharacters() {
        String text = read(Map.of()).toString();
        assertThat(text).doesNotContain("AK-7f3e9a1c44d2").contains("****44d2");
    }

    @Test
    void missingIvvySettingsAreNamedByTheirVariables() {
        values.put("ivvy.base-url", "");
        values.put("ivvy.secret", "");
        assertThat(read(Map.of()).missingIvvySettings()).contains("IVVY_BASE_URL IVVY_API_SECRET");
    }

    @Test
    void nonsensicalBoundsAreRefused() {
        values.put("pipeline.max-in-flight", "0");
        assertThatThrownBy(() -> read(Map.of())).hasMessageContaining("pipeline.max-in-flight").hasMessageContaining("at least 1");
    }

    @Test
    void theSyncIsOffUntilAnIntervalIsSetAndReadsCamelDurations() {
        assertThat(read(Map.of()).sync().enabled()).isFalse();
        values.put("sync.interval", "5m");
        values.put("sync.overlap", "1m30s");
        PipelineSettings.Sync sync = read(Map.of()).sync();
        assertThat(sync.enabled()).isTrue();
        assertThat(sync.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(sync.overlap()).isEqualTo(Duration.ofSeconds(90));
        assertThat(sync.stateTopic()).isEqualTo("state");
    }

    /** Issue 18, item C: an overlap shorter than the settle lag is refused, with what to do (0 was accepted). */
    @Test
    void anOverlapBelowTheSettleLagIsRefused() {
        values.put("sync.overlap", "0s");
        assertThatThrownBy(() -> read(Map.of())).hasMessageContaining("SYNC_OVERLAP (0 s) must be at least SYNC_SETTLE (5 s)");
        values.put("sync.overlap", "5s");
        assertThat(read(Map.of()).sync().settle()).isEqualTo(Duration.ofSeconds(5));
    }

    /** Issue 19, item E: a backfill beside the group keeps to its slice of the group's budget (30/s here). */
    @Test
    void theSyncCommandKeepsToItsSliceOfTheGroupBudgetOrItsOwnLimitWhicheverIsLower() {
        assertThat(read(Map.of()).syncCommandRequestsPerSecond()).isEqualTo(3.0, within(1e-9));
        values.put("pipeline.max-requests-per-second", "2");
        assertThat(read(Map.of()).syncCommandRequestsPerSecond()).isEqualTo(2);
        values.put("pipeline.max-requests-per-second", "10");
        assertThat(read(Map.of()).syncCommandRequestsPerSecond()).isEqualTo(3.0, within(1e-9));
        values.put("pipeline.group-max-requests-per-second", "0");
        assertThat(read(Map.of()).syncCommandRequestsPerSecond()).isEqualTo(10);
        values.put("pipeline.max-requests-per-second", "0");
        assertThat(read(Map.of()).syncCommandRequestsPerSecond()).isZero();
    }

    @Test
    void theProcessingGuaranteeUsesKafkaStreamsNamesAndATransactionalIdStablePerInstance() {
        assertThat(read(Map.of()).processing().exactlyOnce()).isFalse();
        values.put("pipeline.processing-guarantee", "EXACTLY_ONCE");
        PipelineSettings.Processing processing = read(Map.of()).processing();
        assertThat(processing.exactlyOnce()).isTrue();
        assertThat(processing.transactionalId("group", "pipeline-7d9f-x2")).isEqualTo("group-pipeline-7d9f-x2");
        values.put("pipeline.transactional-id", "billing-eu-0");
        assertThat(read(Map.of()).processing().transactionalId("group", "pipeline-7d9f-x2")).isEqualTo("billing-eu-0");
        values.put("pipeline.processing-guarantee", "at_most_once");
        assertThatThrownBy(() -> read(Map.of())).hasMessageContaining("PIPELINE_PROCESSING_GUARANTEE");
    }

    private PipelineSettings read(Map<String, String> environment) {
        Properties all = new Properties();
        all.putAll(values);
        return PipelineSettings.read(key -> Optional.ofNullable(values.get(key)), all, environment);
    }
}
