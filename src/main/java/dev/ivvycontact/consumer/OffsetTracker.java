package dev.ivvycontact.consumer;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The offsets of one partition that were fetched and are not finished yet. The offset safe to commit is the lowest
 * unfinished one or, with nothing unfinished, the next to fetch: a crash at any moment re-reads everything not fully
 * done, and nothing done is read again once committed.
 */
final class OffsetTracker {

    private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
    private volatile long nextOffset = -1;
    private long committed = -1;

    /** The poll thread fetched this record (offsets arrive in increasing order). */
    void fetched(long offset) {
        unfinished.add(offset);
        nextOffset = offset + 1;
    }

    /** Every output of the record, or its dead letter, is acknowledged: it never needs reading again. */
    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit now, or -1 when there is nothing new to commit since the last commit. */
    synchronized long commitCandidate() {
        long next = nextOffset;
        if (next < 0) {
            return -1;
        }
        Long lowest = unfinished.ceiling(Long.MIN_VALUE);
        long candidate = lowest != null ? lowest : next;
        return candidate > committed ? candidate : -1;
    }

    /** Kafka confirmed a commit of this offset. */
    synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
