package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 1: a watermark found ahead of the present (an `--until` in the future stored by an older version, a
 * clock that jumped) must not blind the sync until that moment: the next window starts where the stored run really
 * listed to.
 */
class SyncRunTest {

    private static final Instant NOW = Instant.parse("2026-12-03T04:30:00Z");

    @Test
    void aWatermarkInThePastCoversUpToItsEnd() {
        SyncState state = new SyncState(NOW.minusSeconds(600), NOW.minusSeconds(60), 3, 1, NOW.minusSeconds(55), "a");
        assertThat(SyncRun.coveredUpTo(state, NOW)).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void aWatermarkAheadOfThePresentCoversOnlyUpToWhenItsRunListed() {
        SyncState tomorrow = new SyncState(NOW.minusSeconds(3600), NOW.plusSeconds(86_400), 3, 1, NOW.minusSeconds(120), "a");
        assertThat(SyncRun.coveredUpTo(tomorrow, NOW)).isEqualTo(NOW.minusSeconds(120));
    }

    @Test
    void aRunThatCompletedInTheFutureTooCoversNoFurtherThanNow() {
        SyncState jumped = new SyncState(NOW, NOW.plusSeconds(7200), 3, 1, NOW.plusSeconds(7205), "a");
        assertThat(SyncRun.coveredUpTo(jumped, NOW)).isEqualTo(NOW);
    }
}
