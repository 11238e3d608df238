package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.MonotonicClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the calls to iVvy to at most {@code maxPerSecond} (0: no limit), and holds every call while iVvy has asked
 * for a pause (429 Too Many Requests, with its Retry-After): one 429 slows all lookups, not just the one that got it.
 * A pause is never longer than {@code maxPause}, whatever iVvy asked.
 */
public final class IvvyRateLimiter {

    private static final Duration DEFAULT_429_PAUSE = Duration.ofSeconds(1);

    private final MonotonicClock clock;
    private final Duration maxPause;
    private final long intervalNanos;
    private long nextFreeNanos;
    private volatile long pausedUntilNanos;

    public IvvyRateLimiter(int maxPerSecond, Duration maxPause, MonotonicClock clock) {
        this.clock = clock;
        this.maxPause = maxPause;
        this.intervalNanos = maxPerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / maxPerSecond;
        this.nextFreeNanos = clock.nanoTime();
        this.pausedUntilNanos = nextFreeNanos;
    }

    /** Waits for this call's turn. */
    public void acquire() throws InterruptedException {
        if (intervalNanos == 0 && pausedUntilNanos - clock.nanoTime() <= 0) {
            return; // no limit and no pause: no lock on the way of every call
        }
        long waitNanos = reserve();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    /** iVvy answered 429: no call goes out before the pause it asked for (a second when it named none). */
    public synchronized void tooManyRequests(Duration retryAfter) {
        Duration asked = retryAfter == null || retryAfter.isZero() ? DEFAULT_429_PAUSE : retryAfter;
        Duration pause = asked.compareTo(maxPause) > 0 ? maxPause : asked;
        pausedUntilNanos = Math.max(pausedUntilNanos, clock.nanoTime() + pause.toNanos());
    }

    /** Takes the next turn; returns how long to wait for it, in nanoseconds. */
    synchronized long reserve() {
        long now = clock.nanoTime();
        long start = Math.max(now, pausedUntilNanos);
        if (intervalNanos > 0) {
            start = Math.max(start, nextFreeNanos);
            nextFreeNanos = start + intervalNanos;
        }
        return start - now;
    }
}
