package dev.ivvycontact.consumer;

import java.time.Duration;

/** Something to do every so often (commit, read client metrics), timed on a {@link MonotonicClock}. */
final class Interval {

    private final MonotonicClock clock;
    private final long periodNanos;
    private long lastNanos;

    Interval(MonotonicClock clock, Duration period) {
        this.clock = clock;
        this.periodNanos = period.toNanos();
        this.lastNanos = clock.nanoTime();
    }

    /** True at most once per period; the period restarts from now. */
    boolean due() {
        long now = clock.nanoTime();
        if (now - lastNanos < periodNanos) {
            return false;
        }
        lastNanos = now;
        return true;
    }
}
