package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FinishedOffsetsTest {

    private static final TopicPartition TP = new TopicPartition("in", 0);

    @Test
    void aSlowRecordUnderThousandsFinishedCostsAFewBytes() {
        FinishedOffsets finished = new FinishedOffsets.Builder().add(1_000_001, 1_050_000).build();
        String metadata = finished.encode(1_000_000);
        assertThat(metadata).startsWith(FinishedOffsets.PREFIX).hasSizeLessThan(12);
        FinishedOffsets read = FinishedOffsets.decode(1_000_000, metadata);
        assertThat(read.contains(1_000_000)).isFalse();
        assertThat(read.contains(1_000_001)).isTrue();
        assertThat(read.contains(1_049_999)).isTrue();
        assertThat(read.contains(1_050_000)).isFalse();
    }

    @Test
    void nothingFinishedIsEmptyMetadataAndEmptyMetadataIsNothingFinished() {
        assertThat(FinishedOffsets.NONE.encode(7)).isEmpty();
        assertThat(FinishedOffsets.decode(7, "").isEmpty()).isTrue();
        assertThat(FinishedOffsets.decode(7, null).isEmpty()).isTrue();
    }

    @Test
    void metadataThatIsNotOursIsRefusedAndReadsAsNothingFinished() {
        assertThatThrownBy(() -> FinishedOffsets.decode(0, "written by kcat")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinishedOffsets.decode(0, FinishedOffsets.PREFIX + "%%%"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinishedOffsets.decode(0, FinishedOffsets.PREFIX + "gA")) // a varint cut short
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FinishedOffsets.decode(0, FinishedOffsets.PREFIX + "AQA")) // a range of length 0
                .isInstanceOf(IllegalArgumentException.class);
        // What the consumer does with it: a warning, and nothing skipped.
        assertThat(FinishedOffsets.of(TP, new OffsetAndMetadata(3, "written by kcat")).isEmpty()).isTrue();
    }

    @Test
    void tooManyRangesKeepThoseThatFitAndNeverClaimMore() {
        FinishedOffsets.Builder builder = new FinishedOffsets.Builder();
        for (long start = 1; start < 20_000; start += 2) {
            builder.add(start, start + 1); // every other offset: 10,000 ranges
        }
        FinishedOffsets all = builder.build();
        String metadata = all.encode(0);
        assertThat(metadata.length()).isLessThanOrEqualTo(FinishedOffsets.MAX_METADATA_CHARS);
        FinishedOffsets kept = FinishedOffsets.decode(0, metadata);
        assertThat(kept.ranges()).isBetween(1000, all.ranges() - 1);
        for (int i = 0; i < kept.ranges(); i++) { // a prefix of the ranges, each whole
            assertThat(kept.start(i)).isEqualTo(all.start(i));
            assertThat(kept.end(i)).isEqualTo(all.end(i));
        }
    }

    /** Seeded: random finished sets round-trip exactly when they fit, and as a prefix of themselves when they don't. */
    @Test
    void randomSetsRoundTripOrKeepAPrefix() {
        for (long seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            long committed = random.nextInt(3) == 0 ? random.nextLong(Long.MAX_VALUE / 4) : random.nextInt(1000);
            TreeSet<Long> finished = new TreeSet<>();
            int density = 1 + random.nextInt(10);
            long span = 1 + random.nextInt(random.nextBoolean() ? 200 : 40_000);
            for (long o = committed + 1; o < committed + span; o++) {
                if (random.nextInt(density + 1) != 0) {
                    finished.add(o);
                }
            }
            FinishedOffsets.Builder builder = new FinishedOffsets.Builder();
            finished.forEach(o -> builder.add(o, o + 1));
            String metadata = builder.build().encode(committed);
            assertThat(metadata.length()).as("seed %d", seed).isLessThanOrEqualTo(FinishedOffsets.MAX_METADATA_CHARS);
            FinishedOffsets read = FinishedOffsets.decode(committed, metadata);
            long lastKept = read.isEmpty() ? committed : read.end(read.ranges() - 1);
            for (long o = committed; o < committed + span; o++) {
                boolean claimed = read.contains(o);
                if (claimed) {
                    assertThat(finished.contains(o)).as("seed %d: %d claimed finished", seed, o).isTrue();
                } else if (o < lastKept) {
                    assertThat(finished.contains(o)).as("seed %d: %d finished, below the last kept range, lost", seed, o)
                            .isFalse();
                }
            }
            if (metadata.length() < FinishedOffsets.MAX_METADATA_CHARS - 20) {
                assertThat(lastKept).as("seed %d: everything fits, everything kept", seed)
                        .isEqualTo(finished.isEmpty() ? committed : finished.last() + 1);
            }
        }
    }
}
