package dev.ivvycontact.commands;

import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.ServiceIdentity;
import dev.ivvycontact.observe.Telemetry;
import dev.ivvycontact.pipeline.IvvyClient;
import dev.ivvycontact.pipeline.PipelineApplication;
import dev.ivvycontact.pipeline.PipelineBeans;
import dev.ivvycontact.pipeline.PipelineSettings;
import dev.ivvycontact.sync.SyncFailedException;
import dev.ivvycontact.sync.SyncLeadership;
import dev.ivvycontact.sync.SyncRun;
import dev.ivvycontact.sync.SyncState;
import dev.ivvycontact.sync.SyncStateStore;
import dev.ivvycontact.sync.SyncWindow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A one-off sync of a window (a backfill); exit 0 done, 1 failed (the watermark unchanged), 2 usage error. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Lists the contacts iVvy changed in a window (getContactList, signed, retried and rate limited as "
                + "the lookups are) and produces each id to the input topic once, acknowledged, for the pipeline to "
                + "look up. Then moves the watermark of the continuous sync (SYNC_INTERVAL) to the window's end, if the "
                + "window reaches it. Default window: from the watermark less SYNC_OVERLAP to a few seconds ago.")
public final class SyncCommand implements Callable<Integer> {

    @Option(names = "--since", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "the window's start: 2026-11-01, 2026-11-01T09:30:00 (UTC), 2026-11-01T09:30:00Z, or as iVvy "
                    + "prints a modifiedDate: \"2026-11-01 09:30:00 UTC\"; default: the watermark less SYNC_OVERLAP")
    Instant since;

    @Option(names = "--until", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "the window's end, as --since, never in the future (the watermark never passes the present); "
                    + "default: a few seconds ago")
    Instant until;

    @Option(names = "--dry-run", description = "list the window and count its ids; produce nothing, move no watermark")
    boolean dryRun;

    @Option(names = "--status", description = "show where the change capture stands: the watermark, its last window, "
            + "which member of the group leads it; changes nothing")
    boolean status;

    @Option(names = "--reset-to", paramLabel = "TIMESTAMP", converter = TimestampConverter.class,
            description = "set the watermark to TIMESTAMP (as --since; never in the future), back or forward: the next "
                    + "window starts there, less SYNC_OVERLAP")
    Instant resetTo;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        PipelineSettings settings;
        try {
            settings = CommandSettings.load();
        } catch (Exception e) {
            System.err.println("sync failed: the configuration can't be read: " + e.getMessage());
            return 1;
        }
        if (status) {
            return new SyncStatus(settings, PipelineBeans.syncStateStore(settings, Clock.systemUTC()), out).print();
        }
        if (resetTo != null) {
            return reset(PipelineBeans.syncStateStore(settings, Clock.systemUTC()));
        }
        Optional<String> missing = settings.missingIvvySettings();
        if (missing.isPresent()) {
            System.err.println("sync failed: set " + missing.get() + " (see README, Configuration)");
            return 1;
        }
        Beans beans = new Beans();
        Main main = PipelineApplication.createIvvyCalls(beans);
        try {
            main.start();
            SyncRun run = beans.run;
            Optional<SyncWindow> window = window(run, settings);
            if (window.isEmpty()) {
                return 2;
            }
            out.println((dryRun ? "Dry run: " : "") + "syncing contacts modified in " + window.get().label() + " to "
                    + settings.topics().input());
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            SyncRun.Report report = run.run(window.get(), template, dryRun, out::println);
            out.printf(Locale.ROOT, "Summary: %d ids%s over %d pages, %d iVvy calls, in %.1f s%n", report.ids(),
                    dryRun ? " would be produced" : " produced", report.pages(), report.calls(),
                    report.took().toMillis() / 1000.0);
            if (!dryRun) {
                out.println("  watermark: " + run.watermark().map(SyncState::windowEnd).map(Instant::toString).orElse("none"));
            }
            return 0;
        } catch (SyncFailedException e) {
            System.err.println("sync failed, the watermark is unchanged (run it again): " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("sync failed, the watermark is unchanged: " + e.getMessage());
            return 1;
        } finally {
            main.stop();
        }
    }

    private int reset(SyncStateStore store) {
        Optional<String> refused = notInTheFuture("--reset-to", resetTo, Instant.now());
        if (refused.isPresent()) {
            System.err.println(refused.get());
            return 2;
        }
        try {
            Optional<SyncState> before = store.reset(resetTo);
            out.println("watermark " + store.describe() + ": " + before.map(s -> s.windowEnd().toString()).orElse("none")
                    + " -> " + resetTo);
            return 0;
        } catch (SyncFailedException | RuntimeException e) {
            System.err.println("sync --reset-to failed, the watermark is unchanged: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Why {@code value} of {@code option} is refused: a moment after {@code latest}, the latest a window may end. A
     * watermark there would make every window until then empty, and every edit until then lost.
     */
    static Optional<String> notInTheFuture(String option, Instant value, Instant latest) {
        return value.isAfter(latest)
                ? Optional.of(option + " " + value + " is in the future (the latest a window may end now is " + latest
                        + "): the watermark never passes the present")
                : Optional.empty();
    }

    private Optional<SyncWindow> window(SyncRun run, PipelineSettings settings) {
        Instant settled = run.settledNow();
        Optional<String> refused = until == null ? Optional.empty() : notInTheFuture("--until", until, settled);
        if (refused.isPresent()) {
            System.err.println(refused.get() + "; leave --until out to sync up to a moment ago");
            return Optional.empty();
        }
        Instant end = until != null ? until : settled;
        Instant start = since;
        if (start == null) {
            Optional<Instant> resumeFrom = run.resumeFrom();
            if (resumeFrom.isEmpty()) {
                System.err.println("no watermark yet in " + settings.sync().stateTopic() + ": say where to start with --since");
                return Optional.empty();
            }
            start = resumeFrom.get();
        }
        if (end.isBefore(start)) {
            System.err.println("the window ends before it starts: " + start + " to " + end);
            return Optional.empty();
        }
        return Optional.of(new SyncWindow(start, end));
    }

    /** The sync's pieces, as the pipeline builds them, for the signed calls' routes alone. */
    private static final class Beans implements CamelConfiguration {

        private SyncRun run;

        @Override
        public void configure(CamelContext context) throws Exception {
            PipelineSettings settings = PipelineBeans.settings(context);
            Clock clock = Clock.systemUTC();
            PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
            LookupTracing tracing = new LookupTracing(Telemetry.forContext(context, ServiceIdentity.of(System.getenv())), settings.groupId(), settings.ivvyBaseUrl());
            // Outside the group, it keeps to the budget's slice for a sync command (or its own limit), so that the
            // group and a backfill together stay within the budget.
            IvvyClient ivvy = IvvyClient.create(settings, settings.syncCommandRequestsPerSecond(), Json.newMapper(), metrics,
                    tracing, clock);
            ivvy.bindTo(context.getRegistry());
            run = PipelineBeans.syncRun(settings, ivvy, SyncLeadership.always(), tracing);
        }
    }

    /** ISO-8601 (a date at midnight UTC, a date and time in UTC, an instant), or iVvy's own "2026-11-01 09:30:00 UTC". */
    static final class TimestampConverter implements CommandLine.ITypeConverter<Instant> {

        @Override
        public Instant convert(String text) {
            try {
                if (text.endsWith(" UTC")) {
                    return ContactListRequest.IVVY_UTC.parse(text, Instant::from);
                }
                if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                    return OffsetDateTime.parse(text).toInstant();
                }
                if (text.contains("T")) {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                }
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a date (2026-11-01) or a timestamp "
                        + "(2026-11-01T09:30:00Z, or \"2026-11-01 09:30:00 UTC\" as iVvy prints one)");
            }
        }
    }
}
