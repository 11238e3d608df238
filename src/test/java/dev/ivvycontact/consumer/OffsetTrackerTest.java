package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingFetchedNothingToCommit() {
        assertThat(tracker.commitCandidate()).isEqualTo(-1);
    }

    @Test
    void commitsUpToTheLowestUnfinishedOffset() {
        for (long offset = 10; offset < 15; offset++) {
            tracker.fetched(offset);
        }
        tracker.finished(10);
        tracker.finished(12);
        tracker.finished(13);
        assertThat(tracker.commitCandidate()).isEqualTo(11);
        tracker.finished(11);
        assertThat(tracker.commitCandidate()).isEqualTo(14);
        tracker.finished(14);
        assertThat(tracker.commitCandidate()).isEqualTo(15);
    }

    @Test
    void anOffsetOnceConfirmedIsNotOfferedAgain() {
        tracker.fetched(0);
        tracker.finished(0);
        assertThat(tracker.commitCandidate()).isEqualTo(1);
        tracker.committed(1);
        assertThat(tracker.commitCandidate()).isEqualTo(-1);
        tracker.fetched(1);
        assertThat(tracker.commitCandidate()).isEqualTo(-1);
        tracker.finished(1);
        assertThat(tracker.commitCandidate()).isEqualTo(2);
    }

    @Test
    void gapsInOffsetsAreFine() {
        tracker.fetched(3);
        tracker.fetched(7); // offsets 4-6 were compacted away or are transaction markers
        tracker.finished(7);
        assertThat(tracker.commitCandidate()).isEqualTo(3);
        tracker.finished(3);
        assertThat(tracker.commitCandidate()).isEqualTo(8);
    }
}
