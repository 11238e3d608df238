package dev.ivvycontact.sync;

import java.time.Instant;

/** Contacts modified in [from, to] (iVvy's dates have one-second resolution; consecutive windows overlap). */
public record SyncWindow(Instant from, Instant to) {

    public SyncWindow {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a window ends after it starts: " + from + " to " + to);
        }
    }

    /** As it travels in the ivvy-sync-window header and in logs: from/to, ISO-8601. */
    public String label() {
        return from + "/" + to;
    }
}
