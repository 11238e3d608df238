package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IvvyRateLimiterTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void callsAreSpacedAtTheRate() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(20, Duration.ofSeconds(30), clock);
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(limiter.reserve()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.reserve()).isZero();
    }

    @Test
    void withoutALimitCallsGoAtOnce() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.reserve()).isZero();
        }
    }

    @Test
    void a429PausesEveryCallForItsRetryAfterOrASecond() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), clock);
        limiter.tooManyRequests(Duration.ofSeconds(3));
        assertThat(limiter.reserve()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        clock.advance(Duration.ofSeconds(3));
        limiter.tooManyRequests(null);
        assertThat(limiter.reserve()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    /** Issue 8, item F: a Retry-After of centuries must neither overflow nor park every call for it. */
    @Test
    void aHugeRetryAfterIsCappedNotOverflowed() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), clock);
        limiter.tooManyRequests(Duration.ofSeconds(99_999_999_999_999L));
        assertThat(limiter.reserve()).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    }
}
