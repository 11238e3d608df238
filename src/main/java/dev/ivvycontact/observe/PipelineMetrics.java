package dev.ivvycontact.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** The pipeline's own meters, by Micrometer (scraped from /observe/metrics in the Prometheus format). */
public final class PipelineMetrics {

    private final MeterRegistry registry;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A record fully finished: {@code published}, {@code dead_lettered}; or a round that failed and will be retried. */
    public void lookupFinished(String outcome) {
        Counter.builder("pipeline.lookups").description("input records by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    public void deadLettered(String reason) {
        Counter.builder("pipeline.dead.letters").description("dead letters written, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /** A getContact call and how it ended: an HTTP status class ({@code 2xx}, {@code 4xx}, ...) or {@code no_answer}. */
    public void ivvyCall(Duration duration, String outcome) {
        Timer.builder("ivvy.calls").description("getContact calls to iVvy").tag("outcome", outcome)
                .publishPercentileHistogram().register(registry).record(duration);
    }

    public void ivvyRetry() {
        Counter.builder("ivvy.call.retries").description("getContact calls that were a retry").register(registry).increment();
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }
}
