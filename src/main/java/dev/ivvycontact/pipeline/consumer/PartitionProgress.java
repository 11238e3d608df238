package dev.ivvycontact.pipeline.consumer;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What is unfinished in one assigned partition. The offset safe to commit is the lowest unfinished one (or, with
 * nothing unfinished, the next to fetch), so a crash at any moment re-reads everything not yet fully done.
 */
final class PartitionProgress {

    private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile long nextOffset = -1;
    private volatile boolean revoked;
    private long committed = -1;

    /** Called by the poll thread, in offset order. */
    void fetched(long offset) {
        unfinished.add(offset);
        nextOffset = offset + 1;
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** Marks a lookup as started unless the partition has gone; false means: don't start it. */
    synchronized boolean tryStart() {
        if (revoked) {
            return false;
        }
        started.incrementAndGet();
        return true;
    }

    void stopped() {
        started.decrementAndGet();
    }

    synchronized void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }

    boolean idle() {
        return started.get() == 0;
    }

    /** The offset to commit now, or -1 when it hasn't moved since the last commit. Poll thread only. */
    long commitCandidate() {
        if (nextOffset < 0) {
            return -1;
        }
        Long lowest = unfinished.ceiling(Long.MIN_VALUE);
        long candidate = lowest != null ? lowest : nextOffset;
        return candidate > committed ? candidate : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
