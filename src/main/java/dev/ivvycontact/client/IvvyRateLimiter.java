package dev.ivvycontact.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the calls to iVvy to at most {@code maxPerSecond} (0: no limit), and holds every call while iVvy has asked
 * for a pause (429 Too Many Requests, with its Retry-After): one 429 slows all lookups, not just the one that got it.
 */
public final class IvvyRateLimiter {

    private static final Duration DEFAULT_429_PAUSE = Duration.ofSeconds(1);

    private final long intervalNanos;
    private long nextFreeNanos = System.nanoTime();
    private long pausedUntilNanos = System.nanoTime();

    public IvvyRateLimiter(int maxPerSecond) {
        this.intervalNanos = maxPerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / maxPerSecond;
    }

    /** Waits for this call's turn. */
    public void acquire() throws InterruptedException {
        long waitNanos = reserve();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    /** iVvy answered 429: no call goes out before the pause it asked for (a second when it named none). */
    public synchronized void tooManyRequests(Duration retryAfter) {
        Duration pause = retryAfter == null || retryAfter.isZero() ? DEFAULT_429_PAUSE : retryAfter;
        pausedUntilNanos = Math.max(pausedUntilNanos, System.nanoTime() + pause.toNanos());
    }

    private synchronized long reserve() {
        long now = System.nanoTime();
        long start = Math.max(now, pausedUntilNanos);
        if (intervalNanos > 0) {
            start = Math.max(start, nextFreeNanos);
            nextFreeNanos = start + intervalNanos;
        }
        return start - now;
    }
}
