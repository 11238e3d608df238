package dev.ivvycontact.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadLetterRefusalsTest {

    private long now = 1_000_000_000L;
    private final DeadLetterRefusals refusals = new DeadLetterRefusals(Duration.ofSeconds(30), () -> now);

    @Test
    void aRefusalIsNewsOnceAndHoldsUntilADeadLetterIsWritten() {
        assertThat(refusals.current()).isEmpty();
        assertThat(refusals.refused("too large")).isTrue();
        assertThat(refusals.refused("too large")).as("the same refusal again: no news").isFalse();
        assertThat(refusals.current()).contains("too large");
        assertThat(refusals.refused("not authorized")).as("another cause is news").isTrue();
        assertThat(refusals.written()).isTrue();
        assertThat(refusals.current()).isEmpty();
        assertThat(refusals.written()).isFalse();
    }

    @Test
    void aRefusalNotSeenAgainForTwoRetriesHasGoneWithItsRecord() {
        refusals.refused("too large");
        now += Duration.ofSeconds(59).toNanos();
        assertThat(refusals.current()).contains("too large");
        now += Duration.ofSeconds(2).toNanos();
        assertThat(refusals.current()).isEmpty();
        assertThat(refusals.refused("too large")).as("seen again after it lapsed: news").isTrue();
    }
}
