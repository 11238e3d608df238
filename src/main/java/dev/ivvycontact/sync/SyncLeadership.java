package dev.ivvycontact.sync;

import dev.ivvycontact.consumer.AssignmentListener;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only one member of the consumer group syncs at a time: the one that holds partition 0 of the input topic. Kafka's
 * group protocol already gives that partition to exactly one member and moves it when that member leaves or dies, so
 * no lock or election of its own is needed. A run in progress stops at its next page once the partition goes, and
 * the revocation (on the consumer's poll thread, before the partition can be given to another member) waits for it
 * to stop: two live members never run at once.
 */
public final class SyncLeadership implements AssignmentListener {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLeadership.class);

    private final Duration handOver;
    private final boolean inGroup;
    private boolean leads;
    private long epoch;
    private boolean running;

    /** {@code handOver}: how long a revocation waits for a run to stop (a page's call and its retries). */
    public SyncLeadership(Duration handOver) {
        this(handOver, true);
    }

    private SyncLeadership(Duration handOver, boolean inGroup) {
        this.handOver = handOver;
        this.inGroup = inGroup;
    }

    /** Leads always: the sync command, run by an operator outside the group. */
    public static SyncLeadership always() {
        SyncLeadership leadership = new SyncLeadership(Duration.ZERO, false);
        leadership.leads = true;
        return leadership;
    }

    /** False for the sync command, whose writes keep the group's epoch instead of starting one. */
    public boolean inGroup() {
        return inGroup;
    }

    /**
     * The leadership's fencing token: the consumer group's generation in which this member gained input partition 0.
     * Generations only grow, so a later leader's epoch is always higher than a former one's, however late either
     * writes.
     */
    public synchronized long epoch() {
        return epoch;
    }

    @Override
    public synchronized void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic, int generation) {
        boolean leadsNow = held.stream().anyMatch(tp -> tp.partition() == 0);
        if (leads && !leadsNow) {
            leads = false;
            awaitStopped();
        }
        if (!leads && leadsNow) {
            epoch = generation;
        }
        leads = leadsNow;
    }

    private void awaitStopped() {
        long deadline = System.nanoTime() + handOver.toNanos();
        try {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("The sync run did not stop within {} s of losing partition 0; handing over anyway",
                            handOver.toSeconds());
                    return;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this member leads now (a run checks before each page). */
    public synchronized boolean leads() {
        return leads;
    }

    /** Starts a run if this member leads: true, and then {@link #finished()} must follow. */
    public synchronized boolean tryStart() {
        if (!leads) {
            return false;
        }
        running = true;
        return true;
    }

    public synchronized void finished() {
        running = false;
        notifyAll();
    }
}
