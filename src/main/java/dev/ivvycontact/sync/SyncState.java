package dev.ivvycontact.sync;

import java.time.Instant;

/**
 * What the last completed window of a sync was, kept as the value of the sync-state topic: its end is the watermark
 * the next window starts from (less the overlap). {@code epoch}: the leadership that wrote it, higher for each new
 * leader of the group's sync, so that a former leader can't write over a newer one ({@link #CARRY}: a window of the
 * {@code sync} command, outside the group, which keeps the stored epoch).
 */
public record SyncState(Instant windowStart, Instant windowEnd, long ids, int pages, Instant completedAt, String instance,
                        long epoch) {

    /** The epoch of a write that is no leader's: it keeps the one stored. */
    public static final long CARRY = -1;

    /** A window of no leader's (the {@code sync} command, a test): it keeps the stored epoch. */
    public SyncState(Instant windowStart, Instant windowEnd, long ids, int pages, Instant completedAt, String instance) {
        this(windowStart, windowEnd, ids, pages, completedAt, instance, CARRY);
    }

    SyncState withEpoch(long newEpoch) {
        return new SyncState(windowStart, windowEnd, ids, pages, completedAt, instance, newEpoch);
    }
}
