package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A run of the change capture around its watermark, without Kafka or iVvy. */
class SyncRunTest {

    private static final Instant NOW = Instant.parse("2026-12-03T04:30:00Z");

    /**
     * Issue 18, item 1: a watermark found ahead of the present (an `--until` in the future stored by an older
     * version, a clock that jumped) must not blind the sync until that moment: the next window starts where the
     * stored run really listed to.
     */
    @Test
    void aWatermarkInThePastCoversUpToItsEnd() {
        SyncState state = new SyncState(NOW.minusSeconds(600), NOW.minusSeconds(60), 3, 1, NOW.minusSeconds(55), "a");
        assertThat(SyncRun.coveredUpTo(state, NOW)).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void aWatermarkAheadOfThePresentCoversOnlyUpToWhenItsRunListed() {
        SyncState tomorrow = new SyncState(NOW.minusSeconds(3600), NOW.plusSeconds(86_400), 3, 1, NOW.minusSeconds(120), "a");
        assertThat(SyncRun.coveredUpTo(tomorrow, NOW)).isEqualTo(NOW.minusSeconds(120));
    }

    @Test
    void aRunThatCompletedInTheFutureTooCoversNoFurtherThanNow() {
        SyncState jumped = new SyncState(NOW, NOW.plusSeconds(7200), 3, 1, NOW.plusSeconds(7205), "a");
        assertThat(SyncRun.coveredUpTo(jumped, NOW)).isEqualTo(NOW);
    }

    /** Issue 18, item D: a watermark that can't be read fails the run like any other: counted, and shown in health. */
    @Test
    void aWatermarkThatCantBeReadIsACountedFailedRun() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Watermarks unreadable = new Watermarks() {
            @Override
            public Optional<SyncState> read() {
                throw new IllegalStateException("reading the sync state from state took over 10 s");
            }

            @Override
            public Optional<SyncState> advance(SyncState window) {
                throw new AssertionError("nothing to advance");
            }
        };
        IvvyCircuit circuit = new IvvyCircuit(20, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                Clock.systemUTC());
        SyncRun run = new SyncRun(new SyncRun.Settings("in", Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMinutes(7), 100, 10_000,
                Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30)), 8), unreadable, new Properties(),
                circuit, SyncLeadership.always(), new LookupTracing(OpenTelemetry.noop(), "group", "http://ivvy"),
                new PipelineMetrics(meters), Clock.systemUTC());

        run.process(new DefaultExchange(new DefaultCamelContext()));

        assertThat(meters.get("pipeline.sync.runs").tag("outcome", "failed").counter().count()).isEqualTo(1.0);
        assertThat(run.lastFailure()).contains("the watermark can't be read").contains("took over 10 s");
        assertThat(new SyncHealthCheck(run).call().getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
    }
}
