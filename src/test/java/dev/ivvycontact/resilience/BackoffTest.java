package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30));

    @Test
    void doublesFromTheFirstDelayUpToTheMax() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofMillis(16_000));
        assertThat(backoff.delay(8)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000_000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void jitterShortensADelayByUpToItsShare() {
        assertThat(backoff.withJitter(0.2, () -> 0.0).delay(3)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.withJitter(0.2, () -> 0.5).delay(3)).isEqualTo(Duration.ofMillis(900));
        assertThat(backoff.withJitter(0.2, () -> 0.999_999).delay(3)).isEqualTo(Duration.ofMillis(800));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.withJitter(0.2).delay(3)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.withJitter(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
