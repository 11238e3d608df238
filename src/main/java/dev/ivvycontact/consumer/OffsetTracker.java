package dev.ivvycontact.consumer;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The offsets of one partition that were fetched and are not finished yet, and what a commit says of them: the lowest
 * unfinished offset (or, with nothing unfinished, the next to fetch) and, in its metadata, the {@link FinishedOffsets}
 * above it. A crash at any moment re-reads everything not fully done, and the next owner skips what the last commit
 * says was finished: only records in flight, or finished since that commit, are done again.
 */
final class OffsetTracker {

    /** A commit of this partition: where, and which finish it includes (to say when it is confirmed). */
    record CommitPoint(OffsetAndMetadata position, long finishes) {
    }

    private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
    private final AtomicLong finishes = new AtomicLong();
    private volatile long nextOffset = -1;
    private volatile long firstOffset = -1;
    private volatile FinishedOffsets inherited = FinishedOffsets.NONE;
    private long committedFinishes;
    private OffsetAndMetadata committed;

    /** What the last commit before this owner said: its offset, and the offsets finished above it. */
    synchronized void inherit(OffsetAndMetadata lastCommit, FinishedOffsets finishedAbove) {
        committed = lastCommit;
        inherited = finishedAbove;
    }

    /**
     * The poll thread fetched this record (offsets arrive in increasing order). False when the last commit said it was
     * finished already: it is not done again.
     */
    boolean fetched(long offset) {
        if (firstOffset < 0) {
            firstOffset = offset;
        }
        nextOffset = offset + 1;
        if (inherited.contains(offset)) {
            return false;
        }
        unfinished.add(offset);
        return true;
    }

    /** Every output of the record, or its dead letter, is acknowledged: it never needs reading again. */
    void finished(long offset) {
        unfinished.remove(offset);
        finishes.incrementAndGet();
    }

    /** The commit to make now, or null when nothing finished since the last confirmed one. */
    synchronized CommitPoint commitPoint() {
        long finishesNow = finishes.get();
        long next = nextOffset;
        if (finishesNow == committedFinishes || next < 0) {
            return null;
        }
        Long lowest = unfinished.ceiling(Long.MIN_VALUE);
        // Nothing open: past what is fetched, and past what the last owner finished beyond it.
        long offset = lowest != null ? lowest : inherited.endOfRunAt(next);
        FinishedOffsets.Builder finishedAbove = new FinishedOffsets.Builder();
        long rangeStart = offset;
        for (long open : unfinished.tailSet(offset)) {
            if (open >= next) {
                break;
            }
            finishedAbove.add(rangeStart, open);
            rangeStart = open + 1;
        }
        finishedAbove.add(rangeStart, next);
        FinishedOffsets beyond = inherited; // finished before this owner and not fetched again yet
        for (int i = 0; i < beyond.ranges(); i++) {
            finishedAbove.add(Math.max(Math.max(next, offset), beyond.start(i)), beyond.end(i));
        }
        String metadata = finishedAbove.build().encode(offset);
        return new CommitPoint(new OffsetAndMetadata(offset, metadata), finishesNow);
    }

    /** Kafka confirmed this commit. */
    synchronized void committed(CommitPoint point) {
        if (point.finishes() > committedFinishes) {
            committedFinishes = point.finishes();
            committed = point.position();
        }
    }

    /**
     * Where to read this partition again from when what was done since its last commit is void (an aborted
     * transaction): its last commit, confirmed or inherited; else its first fetched offset; null if neither.
     */
    synchronized OffsetAndMetadata restartPoint() {
        if (committed != null) {
            return committed;
        }
        return firstOffset < 0 ? null : new OffsetAndMetadata(firstOffset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
