package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 17, item G: memory bounded by bytes as well as records, with room kept for the poll that comes next. */
class BackpressureTest {

    private static final int MAX_RECORDS = 1000;
    private static final long MAX_BYTES = 64L << 20;
    private final Backpressure backpressure = new Backpressure(MAX_RECORDS, MAX_BYTES,
            Backpressure.pollRecordsFor(MAX_RECORDS), Backpressure.pollBytesFor(MAX_BYTES));

    @Test
    void fewLargeRecordsPauseFetchingOnTheirBytes() {
        assertThat(backpressure.mustPause(10, 49L << 20)).as("a poll more could pass 64 MiB").isTrue();
        assertThat(backpressure.mustPause(10, 47L << 20)).isFalse();
        assertThat(backpressure.mayResume(10, 33L << 20)).isFalse();
        assertThat(backpressure.mayResume(10, 32L << 20)).isTrue();
    }

    @Test
    void fetchingPausesBeforeAPollCouldPassTheRecordBound() {
        assertThat(Backpressure.pollRecordsFor(MAX_RECORDS)).isEqualTo(250);
        assertThat(backpressure.mustPause(750, 0)).isFalse();
        assertThat(backpressure.mustPause(751, 0)).isTrue();
        assertThat(backpressure.mayResume(500, 0)).isTrue();
        assertThat(backpressure.mayResume(501, 0)).isFalse();
    }

    @Test
    void withNothingInMemoryARecordLargerThanTheBoundStillPasses() {
        assertThat(backpressure.mustPause(0, 0)).isFalse();
        assertThat(new Backpressure(1, 10, 1, 10).mustPause(0, 0)).isFalse();
    }

    @Test
    void smallBoundsStillLeaveOnePollBetweenPauseAndResume() {
        assertThat(Backpressure.pollRecordsFor(1)).isEqualTo(1);
        assertThat(Backpressure.pollRecordsFor(100_000)).isEqualTo(500);
        assertThat(Backpressure.pollBytesFor(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    /**
     * A seeded model of the fetch loop: each poll returns what the client may return (at most the poll's records and
     * about its bytes), records finish at random. What is in memory never passes either bound, except one record
     * alone, and fetching never stays paused once memory has drained.
     */
    @Test
    void memoryNeverPassesEitherBoundOverRandomPolls() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int maxRecords = 1 + random.nextInt(2000);
            long maxBytes = 1024 + random.nextInt(1 << 20);
            int pollRecords = Backpressure.pollRecordsFor(maxRecords);
            int pollBytes = Backpressure.pollBytesFor(maxBytes);
            Backpressure bounds = new Backpressure(maxRecords, maxBytes, pollRecords, pollBytes);
            java.util.ArrayDeque<Long> inMemory = new java.util.ArrayDeque<>();
            long bytes = 0;
            boolean paused = false;
            for (int step = 0; step < 2000; step++) {
                if (!paused) {
                    long polledBytes = 0;
                    for (int r = 0; r < pollRecords && polledBytes < pollBytes; r++) {
                        long size = 1 + random.nextInt(Math.max(1, (int) (maxBytes / 20)));
                        inMemory.add(size);
                        bytes += size;
                        polledBytes += size;
                    }
                }
                assertThat(inMemory.size()).as("seed %d: records", seed).isLessThanOrEqualTo(maxRecords);
                assertThat(bytes).as("seed %d: bytes", seed)
                        .isLessThanOrEqualTo(maxBytes + maxBytes / 20); // a poll's last record may pass its share
                for (int finished = random.nextInt(pollRecords + 1); finished > 0 && !inMemory.isEmpty(); finished--) {
                    bytes -= inMemory.poll();
                }
                if (!paused && bounds.mustPause(inMemory.size(), bytes)) {
                    paused = true;
                } else if (paused && bounds.mayResume(inMemory.size(), bytes)) {
                    paused = false;
                }
                if (inMemory.isEmpty()) {
                    assertThat(paused).as("seed %d: paused with nothing in memory", seed).isFalse();
                }
            }
        }
    }
}
