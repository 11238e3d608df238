package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingFetchedNothingToCommit() {
        assertThat(tracker.commitPoint()).isNull();
    }

    @Test
    void commitsUpToTheLowestUnfinishedOffsetWithWhatIsFinishedAboveIt() {
        for (long offset = 10; offset < 15; offset++) {
            tracker.fetched(offset);
        }
        tracker.finished(10);
        tracker.finished(12);
        tracker.finished(13);
        assertThat(commitAt()).isEqualTo(11);
        assertThat(finishedAbove()).hasToString("[12-13]");
        tracker.finished(11);
        assertThat(commitAt()).isEqualTo(14);
        assertThat(finishedAbove().isEmpty()).isTrue();
        tracker.finished(14);
        assertThat(commitAt()).isEqualTo(15);
    }

    @Test
    void aCommitOnceConfirmedIsNotOfferedAgainUntilSomethingMoreFinishes() {
        tracker.fetched(0);
        tracker.finished(0);
        CommitPoint first = tracker.commitPoint();
        assertThat(first.position().offset()).isEqualTo(1);
        tracker.committed(first);
        assertThat(tracker.commitPoint()).isNull();
        tracker.fetched(1);
        tracker.fetched(2);
        assertThat(tracker.commitPoint()).isNull();
        tracker.finished(2); // the offset stays at 1, but the metadata has news
        assertThat(commitAt()).isEqualTo(1);
        assertThat(finishedAbove()).hasToString("[2-2]");
    }

    @Test
    void gapsInOffsetsAreFine() {
        tracker.fetched(3);
        tracker.fetched(7); // offsets 4-6 were compacted away or are transaction markers
        tracker.finished(7);
        assertThat(commitAt()).isEqualTo(3);
        tracker.finished(3);
        assertThat(commitAt()).isEqualTo(8);
    }

    @Test
    void whatTheLastCommitSaysIsFinishedIsSkippedAndKeptInTheNextCommit() {
        FinishedOffsets before = new FinishedOffsets.Builder().add(6, 8).add(20, 30).build();
        tracker.inherit(new OffsetAndMetadata(5, before.encode(5)), before);
        assertThat(tracker.fetched(5)).isTrue();
        assertThat(tracker.fetched(6)).as("finished before: not done again").isFalse();
        assertThat(tracker.fetched(7)).isFalse();
        assertThat(tracker.fetched(8)).isTrue();
        tracker.finished(8);
        // 5 is still open; 6-8 are finished, and 20-29, not fetched again yet, still are.
        assertThat(commitAt()).isEqualTo(5);
        assertThat(finishedAbove()).hasToString("[6-8, 20-29]");
        tracker.finished(5);
        assertThat(commitAt()).isEqualTo(9);
        assertThat(finishedAbove()).hasToString("[20-29]");
    }

    @Test
    void theRestartPointIsTheLastConfirmedCommitElseTheFirstOffsetFetched() {
        assertThat(tracker.restartPoint()).isNull();
        tracker.fetched(4);
        tracker.fetched(5);
        assertThat(tracker.restartPoint().offset()).isEqualTo(4);
        tracker.finished(5);
        CommitPoint point = tracker.commitPoint();
        tracker.committed(point);
        assertThat(tracker.restartPoint()).isEqualTo(point.position());
        assertThat(point.position().metadata()).isNotEmpty();
    }

    private long commitAt() {
        return tracker.commitPoint().position().offset();
    }

    private FinishedOffsets finishedAbove() {
        OffsetAndMetadata position = tracker.commitPoint().position();
        return FinishedOffsets.decode(position.offset(), position.metadata());
    }
}
