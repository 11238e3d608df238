package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item G: commits and drains are timed on a monotonic clock. The clock is handed in, so a test can move it;
 * the old consumer read System.currentTimeMillis() inline, where a wall clock set back froze commits.
 */
class IntervalTest {

    private long now = 5_000_000_000L;
    private final Interval interval = new Interval(() -> now, Duration.ofSeconds(1));

    @Test
    void dueOncePerPeriodFromTheLastTime() {
        assertThat(interval.due()).isFalse();
        now += 999_000_000L;
        assertThat(interval.due()).isFalse();
        now += 1_000_000L;
        assertThat(interval.due()).isTrue();
        assertThat(interval.due()).isFalse();
        now += 3_000_000_000L;
        assertThat(interval.due()).isTrue();
        assertThat(interval.due()).isFalse();
    }

    @Test
    void elapsedTimeIsAllThatCountsEvenAcrossTheSignOfNanoTime() {
        now = Long.MAX_VALUE - 500_000_000L;
        Interval wrapping = new Interval(() -> now, Duration.ofSeconds(1));
        now += 1_000_000_000L; // overflows, as System.nanoTime() may
        assertThat(wrapping.due()).isTrue();
    }
}
