package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.AssignmentListener;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iVvy request budget for the whole consumer group, with no coordination service, in three slices that add up
 * to it whatever runs: a tenth for a {@code sync} command (a backfill run beside the group), a tenth for the group's
 * own change capture when it is on (the member holding input partition 0 runs it), and the rest for the lookups,
 * which each member shares by the input partitions it holds (lookups × held ÷ partitions, recomputed on every
 * rebalance). There is no floor: with a budget below the partition count a member holding one partition gets less
 * than a call a second, and its probes wait their turn like any call. A member holding nothing keeps one partition's
 * worth, so rounds still draining after a revocation can end; that is the only moment the group may pass its budget,
 * by that much, during a hand-over.
 */
public final class GroupBudget implements AssignmentListener {

    /** The slice of the budget for the list calls of one change capture: a page lists up to 100 ids in one call. */
    public static final double CHANGE_CAPTURE_SLICE = 0.1;

    private static final Logger LOG = LoggerFactory.getLogger(GroupBudget.class);

    private final double budgetPerSecond;
    private final boolean changeCaptureOn;
    private final IvvyRateLimiter limiter;

    /** {@code changeCaptureOn}: SYNC_INTERVAL is set, so the member holding input partition 0 also lists changes. */
    public GroupBudget(double budgetPerSecond, boolean changeCaptureOn, IvvyRateLimiter limiter) {
        this.budgetPerSecond = budgetPerSecond;
        this.changeCaptureOn = changeCaptureOn;
        this.limiter = limiter;
    }

    /** What a {@code sync} command may use, outside the group: its slice, whatever the group does meanwhile. */
    public static double forSyncCommand(double budgetPerSecond) {
        return budgetPerSecond * CHANGE_CAPTURE_SLICE;
    }

    @Override
    public void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic, int generation) {
        boolean leads = held.stream().anyMatch(tp -> tp.partition() == 0);
        double share = shareOf(held.size(), partitionsOfTopic, leads);
        limiter.share(share);
        LOG.info("iVvy request budget: {} of the group's {}/s ({} of {} input partitions{}); calls spaced to {}/s",
                round(share), round(budgetPerSecond), held.size(), partitionsOfTopic,
                leads && changeCaptureOn ? ", and the change capture" : "", round(limiter.ratePerSecond()));
    }

    /** The group's lookups, all members together. */
    double lookups() {
        return budgetPerSecond * (1 - CHANGE_CAPTURE_SLICE * (changeCaptureOn ? 2 : 1));
    }

    /**
     * A member's share, per second, when it holds {@code held} of the topic's {@code partitions} (0: not known yet,
     * counted as what it holds) and, with {@code leads}, runs the change capture.
     */
    double shareOf(int held, int partitions, boolean leads) {
        int of = Math.max(partitions, held);
        double lookups = of == 0 ? 0 : lookups() * Math.max(held, 1) / of;
        return lookups + (leads && changeCaptureOn ? budgetPerSecond * CHANGE_CAPTURE_SLICE : 0);
    }

    private static String round(double perSecond) {
        return String.format("%.2f", perSecond);
    }
}
