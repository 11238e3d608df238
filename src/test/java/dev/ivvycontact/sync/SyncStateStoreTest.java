package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watermark's key and the rule for moving it, without Kafka (SyncIT writes and reads it on a broker). */
class SyncStateStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void theKeyNamesTheAccountWithoutItsCredential() {
        String key = SyncStateStore.accountKey("https://api.us-west-2.ivvy.com/", "AK-7f3e9a1c44d2");
        assertThat(key).startsWith("https://api.us-west-2.ivvy.com#").doesNotContain("AK-7f3e9a1c44d2", "44d2");
        assertThat(key).hasSize("https://api.us-west-2.ivvy.com#".length() + 12);
        assertThat(SyncStateStore.accountKey("https://api.us-west-2.ivvy.com", "AK-7f3e9a1c44d2")).isEqualTo(key);
        assertThat(SyncStateStore.accountKey("https://api.us-west-2.ivvy.com", "AK-other")).isNotEqualTo(key);
    }

    @Test
    void theFirstWindowSetsTheWatermark() {
        assertThat(SyncStateStore.advances(Optional.empty(), window(T0.minusSeconds(600), T0))).isTrue();
    }

    @Test
    void aWindowThatReachesTheWatermarkAndEndsLaterMovesIt() {
        Optional<SyncState> stored = Optional.of(window(T0.minusSeconds(600), T0));
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(120), T0.plusSeconds(300)))).isTrue();
        assertThat(SyncStateStore.advances(stored, window(T0, T0.plusSeconds(300)))).as("touching").isTrue();
        assertThat(SyncStateStore.advances(stored, window(Instant.parse("2020-01-01T00:00:00Z"), T0.plusSeconds(1))))
                .as("a backfill up to now").isTrue();
    }

    @Test
    void aWindowThatWouldLeaveAGapOrMoveItBackDoesNot() {
        Optional<SyncState> stored = Optional.of(window(T0.minusSeconds(600), T0));
        assertThat(SyncStateStore.advances(stored, window(T0.plusSeconds(1), T0.plusSeconds(300)))).as("gap").isFalse();
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(900), T0.minusSeconds(1)))).as("back").isFalse();
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(900), T0))).as("same end").isFalse();
    }

    private static SyncState window(Instant from, Instant to) {
        return new SyncState(from, to, 0, 1, to, "test");
    }
}
