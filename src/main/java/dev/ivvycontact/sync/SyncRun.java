package dev.ivvycontact.sync;

import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the change capture: a window listed and produced by {@link ContactSync}, then the watermark moved to the
 * window's end. A run that fails (iVvy down, a page out of attempts, Kafka refusing, the lead lost) keeps the
 * watermark, so the next run repeats the window; ids twice are harmless (lookups are idempotent, and event ids let
 * downstream drop repeats). The timer route of routes/contact-sync.yaml runs the window that is due on the member that
 * leads ({@link SyncLeadership}); the {@code sync} command runs a window of its own.
 */
public final class SyncRun implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    /**
     * What a run needs to know: the input topic; the overlap with the previous window; how long before iVvy's present
     * a window ends (so iVvy can't add to it while it is read); how far back the first window reaches when there is no
     * watermark yet; the page size asked; how a page's failed calls are retried.
     */
    public record Settings(String inputTopic, Duration overlap, Duration settle, Duration firstLookBack, int perPage,
                           int chunkIds, Backoff retries, int maxAttempts) {
    }

    /** What a run did, for the sync command's summary. */
    public record Report(SyncWindow window, int pages, long ids, int calls, Duration took) {
    }

    private final Settings settings;
    private final Watermarks store;
    private final Properties producerProperties;
    private final IvvyCircuit circuit;
    private final SyncLeadership leadership;
    private final LookupTracing tracing;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final RecentlyProduced recently = new RecentlyProduced();
    private ProducerTemplate template;
    private volatile Optional<SyncState> lastState = Optional.empty();
    private volatile Instant lastSuccess;
    private volatile String lastFailure;

    public SyncRun(Settings settings, Watermarks store, Properties producerProperties, IvvyCircuit circuit,
                   SyncLeadership leadership, LookupTracing tracing, PipelineMetrics metrics, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.producerProperties = producerProperties;
        this.circuit = circuit;
        this.leadership = leadership;
        this.tracing = tracing;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The timer's step: the window that is due, if this member leads and the iVvy circuit is not open. */
    @Override
    public void process(Exchange exchange) {
        if (!leadership.tryStart()) {
            return;
        }
        try {
            // Half open, the run's first call is a probe as good as a lookup's: with no lookups waiting, only it
            // can find iVvy back.
            if (circuit.state() == IvvyCircuit.State.OPEN) {
                metrics.syncRun("skipped");
                lastFailure = "skipped: iVvy is down (" + circuit.reason() + ")";
                return;
            }
            SyncWindow window;
            try {
                window = dueWindow();
            } catch (RuntimeException e) { // the watermark can't be read: a failed run like any other, counted and shown
                metrics.syncRun("failed");
                lastFailure = "the watermark can't be read: " + e.getMessage();
                LOG.warn("Sync run failed: {}", lastFailure);
                return;
            }
            if (template == null) {
                template = exchange.getContext().createProducerTemplate();
            }
            run(window, template, false, line -> LOG.debug("Sync: {}", line));
        } catch (HandedOver e) {
            LOG.info("Sync run stopped: {}", e.getMessage());
        } catch (SyncFailedException | RuntimeException e) {
            LOG.warn("Sync run failed (the watermark stays; the window is repeated next time): {}", e.getMessage());
        } finally {
            leadership.finished();
        }
    }

    /** From the watermark less the overlap (without one: the first look-back) to a moment ago. */
    public SyncWindow dueWindow() {
        Instant to = settledNow();
        Instant from = resumeFrom().orElse(to.minus(settings.firstLookBack()));
        return new SyncWindow(from.isAfter(to) ? to : from, to);
    }

    /**
     * Where the next window starts: the stored watermark, read now, less the overlap; empty before any watermark. A
     * watermark ahead of the present (a clock that jumped, an old bug) is logged, counted, and read as what it can
     * really cover: nothing after the run that stored it completed.
     */
    public Optional<Instant> resumeFrom() {
        Optional<SyncState> state = store.read();
        lastState = state;
        return state.map(s -> {
            Instant now = settledNow();
            Instant covered = coveredUpTo(s, now);
            if (!covered.equals(s.windowEnd())) {
                metrics.syncWatermarkAhead();
                LOG.error("The sync watermark {} is ahead of the present ({}): syncing from {} instead, where its run "
                        + "really listed to; the next completed run replaces it", s.windowEnd(), now, covered);
            }
            return covered.minus(settings.overlap());
        });
    }

    /**
     * How far a stored window really covers: its end, unless that is ahead of {@code now}; then no further than when
     * its run completed (it could list nothing changed after that), and never past {@code now}.
     */
    static Instant coveredUpTo(SyncState state, Instant now) {
        if (!state.windowEnd().isAfter(now)) {
            return state.windowEnd();
        }
        Instant listedTo = state.completedAt().isBefore(state.windowEnd()) ? state.completedAt() : state.windowEnd();
        return listedTo.isAfter(now) ? now : listedTo;
    }

    /**
     * The epoch this run writes with: for a leader of the group's sync, the group generation it gained the lead in
     * (so a former leader, still writing, is fenced by the newer one's first watermark); for the sync command, the
     * stored one carried on.
     */
    private long epoch() {
        return leadership.inGroup() ? leadership.epoch() : SyncState.CARRY;
    }

    /** Where a window started now ends: the settle lag before the present (iVvy's, in the pipeline), to the second. */
    public Instant settledNow() {
        return clock.instant().minus(settings.settle()).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The stored watermark, read now. */
    public Optional<SyncState> watermark() {
        return store.read();
    }

    /**
     * Lists {@code window} and produces its ids (not in a dry run), then moves the watermark if the window reaches it
     * (see {@link SyncStateStore#advance}); throws, keeping the watermark, when anything fails. {@code template} sends
     * the list calls through routes/ivvy-call.yaml.
     */
    public Report run(SyncWindow window, ProducerTemplate template, boolean dryRun, Consumer<String> progress)
            throws SyncFailedException {
        long started = System.nanoTime();
        Span span = tracing.startSyncRun(window.label());
        ContactListCalls pages = new ContactListCalls(template, circuit, settings.retries(), settings.maxAttempts(),
                Context.root().with(span), () -> {
                    if (!leadership.leads()) {
                        throw new HandedOver();
                    }
                });
        try (Producer<byte[], byte[]> producer = dryRun ? null : new KafkaProducer<>(producerProperties)) {
            ContactSync.PageWriter writer = dryRun ? (w, contacts) -> { } : new InputTopicWriter(producer, settings.inputTopic(),
                    LookupTracing.headersOf(span));
            ContactSync.Result result = produce(window, pages, writer, dryRun, progress);
            span.end();
            return new Report(window, result.pages(), result.ids(), pages.calls(), Duration.ofNanos(System.nanoTime() - started));
        } catch (SyncFailedException e) {
            fail(span, e);
            throw e;
        } catch (RuntimeException e) {
            fail(span, e);
            throw new SyncFailedException(e.toString(), e);
        }
    }

    /**
     * The run without its transport (tests give it a simulated list and writer): the window's ids listed and
     * written, in chunks that each move the watermark (not in a dry run), with this leadership's epoch.
     */
    ContactSync.Result produce(SyncWindow window, ContactListPages pages, ContactSync.PageWriter writer, boolean dryRun,
                               Consumer<String> progress) throws SyncFailedException {
        long epoch = dryRun ? SyncState.CARRY : epoch();
        recently.forgetBefore(window.from());
        ContactSync.Result result = new ContactSync(pages, settings.perPage(), dryRun ? new RecentlyProduced() : recently)
                .run(window, writer, progress, settings.chunkIds(), (chunk, done) -> {
                    if (!dryRun) { // each chunk moves the watermark: a later failure keeps what it did
                        recently.forgetBefore(chunk.from());
                        store.advance(new SyncState(chunk.from(), chunk.to(), done.ids(), done.pages(),
                                clock.instant(), instance, epoch)).ifPresent(stored -> lastState = Optional.of(stored));
                    }
                });
        if (!dryRun) {
            metrics.syncIds(result.ids());
            metrics.syncRun("completed");
            lastSuccess = clock.instant();
            lastFailure = null;
            LOG.info("Sync window {}: {} ids over {} pages", window.label(), result.ids(), result.pages());
        }
        return result;
    }

    private void fail(Span span, Exception e) {
        if (e instanceof HandedOver) {
            metrics.syncRun("handed_over");
        } else {
            metrics.syncRun("failed");
            lastFailure = e.getMessage();
        }
        LookupTracing.endFailed(span, e);
    }

    /** Partition 0 went to another member mid-run: not a failure; the new leader repeats the window. */
    private static final class HandedOver extends SyncFailedException {
        HandedOver() {
            super("partition 0 of the input moved to another member, which repeats the window", null);
        }
    }

    /** Seconds from the watermark to now, on the member that leads (-1 elsewhere, or before any window is known). */
    public double windowLagSeconds() {
        if (!leadership.leads()) {
            return -1; // a former leader's watermark only ages: the member that leads now reports the lag
        }
        return lastState.map(s -> (double) Duration.between(s.windowEnd(), clock.instant()).toSeconds()).orElse(-1.0);
    }

    /** When the last run completed, in epoch seconds (0: never, by this instance). */
    public double lastSuccessEpochSeconds() {
        Instant success = lastSuccess;
        return success == null ? 0 : success.getEpochSecond();
    }

    /** Why the last run failed or was skipped; null when it completed. */
    public String lastFailure() {
        return lastFailure;
    }

    public boolean leads() {
        return leadership.leads();
    }
}
