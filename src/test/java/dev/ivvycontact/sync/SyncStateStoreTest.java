package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watermark's key and the rule for moving it, without Kafka (SyncIT writes and reads it on a broker). */
class SyncStateStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant NOW = T0.plusSeconds(86_400);

    /**
     * Issue 18, item 5: the watermark is the account's, not the API key's: after a key rotation (or the upgrade from
     * keys that hashed the API key) the position is carried over from the earlier keys of the same base URL.
     */
    @Test
    void theAccountsWatermarkIsFoundAfterAKeyRotation() {
        String prefix = "https://api.us-west-2.ivvy.com#";
        SyncState older = window(T0.minusSeconds(900), T0.minusSeconds(600));
        SyncState newer = window(T0.minusSeconds(600), T0);
        Map<String, SyncState> earlierKeysOnly = Map.of(prefix + "3f1c0a9b2e77", older, prefix + "a1b2c3d4e5f6", newer,
                "https://api.eu-west-2.ivvy.com#a1b2c3d4e5f6", window(T0, T0.plusSeconds(600)));
        assertThat(SyncStateStore.choose(earlierKeysOnly, "https://api.us-west-2.ivvy.com", prefix)).contains(newer);

        Map<String, SyncState> withOwn = new HashMap<>(earlierKeysOnly);
        withOwn.put("https://api.us-west-2.ivvy.com", older);
        assertThat(SyncStateStore.choose(withOwn, "https://api.us-west-2.ivvy.com", prefix)).as("its own wins").contains(older);
        assertThat(SyncStateStore.choose(Map.of(), "acme", prefix)).isEmpty();
    }

    /**
     * Issue 18, item E: two syncers during a hand-over. The new leader's first watermark carries a higher epoch; the
     * former leader, still running a page, can't write over it. The sync command keeps the stored epoch.
     */
    @Test
    void aFormerLeaderIsFencedByTheNewLeadersEpoch() throws Exception {
        Optional<SyncState> newLeaderWrote = Optional.of(window(T0.minusSeconds(600), T0).withEpoch(8));
        SyncState formerLeaders = window(T0.minusSeconds(300), T0.plusSeconds(5)).withEpoch(7);
        assertThatThrownBy(() -> SyncStateStore.fenced(newLeaderWrote, formerLeaders))
                .isInstanceOf(SyncFailedException.class).hasMessageStartingWith("fenced: a newer leader of the sync (epoch 8)");
        assertThat(SyncStateStore.fenced(newLeaderWrote, formerLeaders.withEpoch(8)).epoch()).isEqualTo(8);
        assertThat(SyncStateStore.fenced(newLeaderWrote, window(T0, T0.plusSeconds(5))).epoch())
                .as("the sync command carries the epoch").isEqualTo(8);
        assertThat(SyncStateStore.fenced(Optional.empty(), window(T0, T0.plusSeconds(5))).epoch()).isZero();
    }

    /** Issue 18, item 1: a watermark stored ahead of the present is replaced by the next window, not kept forever. */
    @Test
    void aWatermarkAheadOfThePresentIsReplaced() {
        Optional<SyncState> tomorrow = Optional.of(window(T0, T0.plusSeconds(86_400)));
        assertThat(SyncStateStore.advances(tomorrow, window(T0.minusSeconds(120), T0), T0)).isTrue();
    }

    @Test
    void theFirstWindowSetsTheWatermark() {
        assertThat(SyncStateStore.advances(Optional.empty(), window(T0.minusSeconds(600), T0), NOW)).isTrue();
    }

    @Test
    void aWindowThatReachesTheWatermarkAndEndsLaterMovesIt() {
        Optional<SyncState> stored = Optional.of(window(T0.minusSeconds(600), T0));
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(120), T0.plusSeconds(300)), NOW)).isTrue();
        assertThat(SyncStateStore.advances(stored, window(T0, T0.plusSeconds(300)), NOW)).as("touching").isTrue();
        assertThat(SyncStateStore.advances(stored, window(Instant.parse("2020-01-01T00:00:00Z"), T0.plusSeconds(1)), NOW))
                .as("a backfill up to now").isTrue();
    }

    @Test
    void aWindowThatWouldLeaveAGapOrMoveItBackDoesNot() {
        Optional<SyncState> stored = Optional.of(window(T0.minusSeconds(600), T0));
        assertThat(SyncStateStore.advances(stored, window(T0.plusSeconds(1), T0.plusSeconds(300)), NOW)).as("gap").isFalse();
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(900), T0.minusSeconds(1)), NOW)).as("back").isFalse();
        assertThat(SyncStateStore.advances(stored, window(T0.minusSeconds(900), T0), NOW)).as("same end").isFalse();
    }

    private static SyncState window(Instant from, Instant to) {
        return new SyncState(from, to, 0, 1, to, "test");
    }
}
