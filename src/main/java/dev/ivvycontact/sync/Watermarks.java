package dev.ivvycontact.sync;

import java.util.Optional;

/** Where the change capture keeps its watermark ({@link SyncStateStore}: a compacted topic). */
public interface Watermarks {

    /** The last completed window, if any. */
    Optional<SyncState> read();

    /** Makes {@code window} the watermark if it moves it (no gap, never back, never past the present); what is stored now. */
    Optional<SyncState> advance(SyncState window) throws SyncFailedException;
}
