package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rate limiter driven by seeded random interleavings of calls, time passing, share changes and 429 pauses,
 * against a simple model: calls start in the order they were taken, never before a pause has ended, and never
 * closer together than the spacing in force when the later one was taken.
 */
class IvvyRateLimiterModelTest {

    @Test
    void randomCallsSharesAndPausesKeepTheSpacingAndThePauses() {
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            FakeClock clock = new FakeClock();
            double instanceLimit = random.nextBoolean() ? 0 : 1 + random.nextInt(50);
            IvvyRateLimiter limiter = new IvvyRateLimiter(instanceLimit, Duration.ofSeconds(5), clock);
            long lastStart = Long.MIN_VALUE;
            long pausedUntil = Long.MIN_VALUE;
            for (int step = 0; step < 500; step++) {
                int action = random.nextInt(10);
                if (action < 6) {
                    long now = clock.nanoTime();
                    long start = now + limiter.reserve();
                    double rate = limiter.ratePerSecond();
                    assertThat(start).as("seed %d: starts in order", seed).isGreaterThanOrEqualTo(lastStart);
                    assertThat(start).as("seed %d: not before the pause ends", seed).isGreaterThanOrEqualTo(pausedUntil);
                    if (rate > 0 && lastStart != Long.MIN_VALUE) {
                        assertThat(start - lastStart).as("seed %d: spacing at %.2f/s", seed, rate)
                                .isGreaterThanOrEqualTo((long) (1e9 / rate));
                    }
                    lastStart = start;
                } else if (action < 8) {
                    clock.advance(Duration.ofMillis(random.nextInt(400)));
                } else if (action < 9) {
                    limiter.share(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(40));
                    lastStart = Long.MIN_VALUE; // a new spacing applies from the next call on
                } else {
                    Duration asked = Duration.ofMillis(random.nextInt(20_000));
                    limiter.tooManyRequests(asked);
                    long pause = Math.min(asked.isZero() ? 1_000_000_000L : asked.toNanos(), 5_000_000_000L);
                    pausedUntil = Math.max(pausedUntil, clock.nanoTime() + pause);
                }
            }
        }
    }
}
