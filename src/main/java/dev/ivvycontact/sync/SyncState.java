package dev.ivvycontact.sync;

import java.time.Instant;

/**
 * What the last completed window of a sync was, kept as the value of the sync-state topic: its end is the watermark
 * the next window starts from (less the overlap).
 */
public record SyncState(Instant windowStart, Instant windowEnd, long ids, int pages, Instant completedAt, String instance) {
}
