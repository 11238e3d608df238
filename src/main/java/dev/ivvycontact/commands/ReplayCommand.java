package dev.ivvycontact.commands;

import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.deadletter.DeadLetterReplayer;
import dev.ivvycontact.deadletter.ReplayRequest;
import dev.ivvycontact.deadletter.ReplaySummary;
import dev.ivvycontact.pipeline.PipelineSettings;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Operators' replay of the dead-letter topic; exit 0 done, 1 failed, 2 usage error (picocli's). */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Writes dead letters back to the input topic (key, value and original headers, with "
                + "replay-count incremented; the dlt-* headers are dropped), reading up to the end offsets that existed "
                + "at start (from the log start, counting the loss, where retention deleted some not yet replayed). Progress is kept per reason in the consumer groups <KAFKA_GROUP_ID>-replay.<REASON>, so "
                + "running it twice does not replay twice. Commits only after every message it wrote was acknowledged.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--reason", paramLabel = "REASON",
            description = "replay only this reason (repeatable): ${COMPLETION-CANDIDATES}; default: all")
    List<DeadLetterReason> reasons = List.of();

    @Option(names = "--dry-run", description = "show what would be replayed; write and commit nothing")
    boolean dryRun;

    @Option(names = "--limit", paramLabel = "N", description = "replay at most N messages (default: no limit)")
    long limit = Long.MAX_VALUE;

    @Option(names = "--max-replays", paramLabel = "N", defaultValue = "3",
            description = "skip and report a message already replayed N times (default: ${DEFAULT-VALUE})")
    int maxReplays;

    @Option(names = "--to", paramLabel = "TOPIC", description = "write to TOPIC instead of the input topic")
    String to;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        try {
            PipelineSettings settings = CommandSettings.load();
            Set<String> chosen = new LinkedHashSet<>();
            reasons.forEach(r -> chosen.add(r.name()));
            ReplayRequest request = new ReplayRequest(settings.topics().deadLetters(),
                    to == null ? settings.topics().input() : to, settings.groupId() + "-replay", chosen, dryRun,
                    limit, maxReplays);
            out.println((dryRun ? "Dry run: " : "") + "replaying " + request.deadLetterTopic() + " -> "
                    + request.targetTopic() + (chosen.isEmpty() ? " (all reasons)" : " (reasons " + chosen + ")"));
            // Exactly once: one transactional id for the group's replays, so that two runs at once fence each other.
            String transactionalId = settings.processing().exactlyOnce() ? request.groupPrefix() : null;
            ReplaySummary summary = new DeadLetterReplayer(settings.kafkaClientProperties(), settings.maxRequestSize(),
                    transactionalId).replay(request, out::println);
            print(summary, request.deadLetterTopic());
            return 0;
        } catch (Exception e) {
            System.err.println("replay failed, nothing committed: " + e.getMessage());
            return 1;
        }
    }

    private void print(ReplaySummary summary, String deadLetterTopic) {
        out.println("Summary: " + summary.replayedCount() + (dryRun ? " would be replayed" : " replayed") + ", "
                + summary.skippedMessages().size() + " skipped at the replay limit");
        summary.replayedByReason().forEach((reason, n) -> out.println("  " + reason + ": " + n + (dryRun ? " would be replayed" : " replayed")));
        summary.skippedByReason().forEach((reason, n) -> out.println("  " + reason + ": " + n + " skipped (replay limit)"));
        if (summary.lostToRetentionCount() > 0) {
            out.println("  " + summary.lostToRetentionCount() + " lost to retention: deleted from " + deadLetterTopic
                    + " before they were replayed (started at the log start)");
        }
        if (summary.examinedCount() == 0) {
            out.println("  nothing to replay");
        }
    }
}
