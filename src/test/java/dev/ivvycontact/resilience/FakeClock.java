package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.MonotonicClock;
import java.time.Duration;

/** A monotonic clock that moves only when a test says so. */
final class FakeClock implements MonotonicClock {

    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    void advance(Duration by) {
        nanos += by.toNanos();
    }
}
