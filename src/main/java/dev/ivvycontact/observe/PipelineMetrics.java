package dev.ivvycontact.observe;

import dev.ivvycontact.consumer.ConsumerStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's own meters, by Micrometer (scraped from /observe/metrics in the Prometheus format). The input
 * consumer's gauges read whichever consumer started last (a restarted route starts a new one).
 */
public final class PipelineMetrics implements ConsumerStatistics.Listener {

    private final MeterRegistry registry;
    private final AtomicReference<ConsumerStatistics> consumer = new AtomicReference<>();
    // Meters by tag value, made once: building and registering one per lookup costs a registry lookup under a lock.
    private final Map<String, Counter> lookups = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();
    private final Counter retries;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = Counter.builder("ivvy.call.retries").description("getContact calls that were a retry")
                .register(registry);
        consumerGauge("pipeline.lookups.in.flight",
                "lookups holding a worker now: calling iVvy or preparing their outputs (at most PIPELINE_MAX_IN_FLIGHT)",
                ConsumerStatistics::roundsRunning);
        consumerGauge("pipeline.buffered.records", "records fetched and not yet finished", ConsumerStatistics::recordsInMemory);
        consumerGauge("pipeline.buffered.bytes", "bytes (keys and values) of the records fetched and not yet finished",
                ConsumerStatistics::bytesInMemory);
        consumerGauge("pipeline.consumer.lag", "the largest lag of an assigned input partition, in records",
                ConsumerStatistics::lag);
        consumerGauge("pipeline.fetching.paused", "1 while fetching is paused for backpressure",
                stats -> stats.fetchingPaused() ? 1 : 0);
    }

    @Override
    public void started(ConsumerStatistics statistics) {
        consumer.set(statistics);
    }

    /**
     * An input record's round ended: {@code published} or {@code dead_lettered} (finished), or
     * {@code failed_will_retry} (it runs again, or waits for iVvy).
     */
    public void lookupFinished(String outcome) {
        lookups.computeIfAbsent(outcome, tag -> Counter.builder("pipeline.lookups").description("input records by outcome")
                .tag("outcome", tag).register(registry)).increment();
    }

    public void deadLettered(String reason) {
        deadLetters.computeIfAbsent(reason, tag -> Counter.builder("pipeline.dead.letters")
                .description("dead letters written, by reason").tag("reason", tag).register(registry)).increment();
    }

    /** A getContact call and how it ended: an HTTP status class ({@code 2xx}, {@code 4xx}, ...) or {@code no_answer}. */
    /** A call to iVvy ended: {@code action} getContact or getContactList, {@code outcome} 2xx, 4xx, 5xx, no_answer. */
    public void ivvyCall(Duration duration, String action, String outcome) {
        calls.computeIfAbsent(action + " " + outcome, key -> Timer.builder("ivvy.calls").description("calls to iVvy")
                .tag("action", action).tag("outcome", outcome).publishPercentileHistogram().register(registry))
                .record(duration);
    }

    /**
     * A sync run ended: {@code completed}, {@code failed} (the watermark stays), {@code skipped} (the iVvy circuit
     * open), {@code handed_over} (partition 0 moved to another member mid-run).
     */
    public void syncRun(String outcome) {
        Counter.builder("pipeline.sync.runs").description("change-capture runs by outcome").tag("outcome", outcome)
                .register(registry).increment();
    }

    /** A run found the stored watermark ahead of the present (and synced from where it was really listed to). */
    public void syncWatermarkAhead() {
        Counter.builder("pipeline.sync.watermark.ahead")
                .description("change-capture runs that found the watermark ahead of the present").register(registry)
                .increment();
    }

    public void syncIds(long produced) {
        Counter.builder("pipeline.sync.ids").description("contact ids the change capture produced to the input topic")
                .register(registry).increment(produced);
    }

    public void ivvyRetry() {
        retries.increment();
    }

    /** A counter kept by someone else (read when scraped), e.g. the output transactions' commits and aborts. */
    public void counter(String name, String description, Supplier<Number> total) {
        FunctionCounter.builder(name, total, t -> t.get().doubleValue()).description(description).register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private void consumerGauge(String name, String description, ToDoubleFunction<ConsumerStatistics> value) {
        Gauge.builder(name, consumer, ref -> ref.get() == null ? 0 : value.applyAsDouble(ref.get()))
                .description(description).register(registry);
    }
}
