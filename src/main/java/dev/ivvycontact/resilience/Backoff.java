package dev.ivvycontact.resilience;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one backoff of the module: the first delay, doubling with each failure up to the maximum, less a random share
 * (the jitter) so that many records failing together do not retry together. Used for a record's next round after a
 * failure and for the iVvy circuit's probes.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    private Backoff(Duration first, Duration max, double jitter, DoubleSupplier random) {
        if (first.isNegative() || max.compareTo(first) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("a backoff needs 0 <= first <= max and 0 <= jitter < 1");
        }
        this.first = first;
        this.max = max;
        this.jitter = jitter;
        this.random = random;
    }

    /** Doubling from {@code first} up to {@code max}, without jitter. */
    public static Backoff exponential(Duration first, Duration max) {
        return new Backoff(first, max, 0, () -> 0);
    }

    /** The same, each delay shortened by a random share of up to {@code fraction} (0.2: up to 20 % shorter). */
    public Backoff withJitter(double fraction, DoubleSupplier random) {
        return new Backoff(first, max, fraction, random);
    }

    public Backoff withJitter(double fraction) {
        return withJitter(fraction, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The delay after the {@code failures}-th failure in a row (1 for the first). */
    public Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 40);
        long millis = first.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        millis = Math.min(millis, max.toMillis());
        return Duration.ofMillis(Math.round(millis * (1 - jitter * random.getAsDouble())));
    }

    public Duration max() {
        return max;
    }
}
