package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.MonotonicClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Spaces the calls to iVvy to the lower of two rates: this instance's own limit and its share of the consumer group's
 * budget (0 for either: none). It also holds every call while iVvy has asked for a pause (429 Too Many Requests,
 * with its Retry-After): one 429 slows all lookups of this instance, not just the one that got it. A pause is never
 * longer than {@code maxPause}, whatever iVvy asked. Spacing allows no burst beyond one call.
 */
public final class IvvyRateLimiter {

    private static final Duration DEFAULT_429_PAUSE = Duration.ofSeconds(1);

    private final MonotonicClock clock;
    private final Duration maxPause;
    private final double instanceLimit;
    private volatile double groupShare;
    private volatile long intervalNanos;
    private long nextFreeNanos;
    private volatile long pausedUntilNanos;

    /** {@code instanceLimit}: calls per second for this instance, 0 for none. */
    public IvvyRateLimiter(double instanceLimit, Duration maxPause, MonotonicClock clock) {
        this.clock = clock;
        this.maxPause = maxPause;
        this.instanceLimit = instanceLimit;
        this.intervalNanos = intervalFor(ratePerSecond());
        this.nextFreeNanos = clock.nanoTime();
        this.pausedUntilNanos = nextFreeNanos;
    }

    /** This instance's share of the group's budget, in calls per second (0: no group budget). */
    public synchronized void share(double perSecond) {
        groupShare = perSecond;
        intervalNanos = intervalFor(ratePerSecond());
    }

    /** The rate calls are spaced to now, per second; 0 when there is no limit. */
    public double ratePerSecond() {
        double share = groupShare;
        if (instanceLimit <= 0 || share <= 0) {
            return Math.max(instanceLimit, share);
        }
        return Math.min(instanceLimit, share);
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

    private static long intervalFor(double perSecond) {
        return perSecond <= 0 ? 0 : (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
    }
}
