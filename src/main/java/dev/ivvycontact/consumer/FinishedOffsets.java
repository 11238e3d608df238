package dev.ivvycontact.consumer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offsets of one partition finished above its committed offset, as ranges, and their form in the commit's metadata:
 * so that after a crash or a rebalance the partition's next owner skips them instead of doing them again.
 *
 * <p>The metadata is {@value #PREFIX} then base64url (unpadded) of unsigned varints: for each range, its gap from the
 * end of the previous one (the first from the committed offset), then its length. A run-length form: a partition
 * with one slow record at the bottom and thousands finished above it costs a few bytes. It is bounded by
 * {@link #MAX_METADATA_CHARS}: ranges that don't fit are left out, and what they covered is done again, never lost.
 * Metadata that is not this form (empty, another tool's, corrupt) reads as nothing finished.
 */
final class FinishedOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(FinishedOffsets.class);

    static final String PREFIX = "f1:";
    /** Under the brokers' offset.metadata.max.bytes (4096 by default), with room to spare. */
    static final int MAX_METADATA_CHARS = 3000;
    static final FinishedOffsets NONE = new FinishedOffsets(new long[0], new long[0], 0);

    private final long[] starts;
    private final long[] ends; // exclusive
    private final int size;

    private FinishedOffsets(long[] starts, long[] ends, int size) {
        this.starts = starts;
        this.ends = ends;
        this.size = size;
    }

    boolean contains(long offset) {
        int at = Arrays.binarySearch(starts, 0, size, offset);
        if (at >= 0) {
            return true;
        }
        int before = -at - 2;
        return before >= 0 && offset < ends[before];
    }

    /** The end of the range holding {@code offset}, or {@code offset} when none does: where finished work ends. */
    long endOfRunAt(long offset) {
        int at = Arrays.binarySearch(starts, 0, size, offset);
        int range = at >= 0 ? at : -at - 2;
        return range >= 0 && offset < ends[range] ? ends[range] : offset;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Ranges in order, each [start, end). */
    int ranges() {
        return size;
    }

    long start(int range) {
        return starts[range];
    }

    long end(int range) {
        return ends[range];
    }

    /** The metadata for a commit of {@code committed}; every range must lie above it. Empty when nothing is finished. */
    String encode(long committed) {
        if (size == 0) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream range = new ByteArrayOutputStream(20);
        long previousEnd = committed;
        for (int i = 0; i < size; i++) {
            range.reset();
            writeVarint(range, starts[i] - previousEnd);
            writeVarint(range, ends[i] - starts[i]);
            if (PREFIX.length() + base64Length(bytes.size() + range.size()) > MAX_METADATA_CHARS) {
                break; // the ranges beyond are done again after a restart: more work, nothing lost
            }
            bytes.write(range.toByteArray(), 0, range.size());
            previousEnd = ends[i];
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** What a partition's last commit says was finished above it; nothing, with a warning, when it can't be read. */
    static FinishedOffsets of(TopicPartition partition, OffsetAndMetadata lastCommit) {
        try {
            return decode(lastCommit.offset(), lastCommit.metadata());
        } catch (IllegalArgumentException e) {
            LOG.warn("The commit metadata of {} at {} is not the pipeline's ({}): nothing above the committed offset is "
                    + "skipped", partition, lastCommit.offset(), e.getMessage());
            return NONE;
        }
    }

    /**
     * Reads what {@link #encode} wrote for a commit of {@code committed}; throws {@link IllegalArgumentException} on
     * metadata that is not of that form, for the caller to say so and skip nothing. Empty metadata is nothing finished.
     */
    static FinishedOffsets decode(long committed, String metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return NONE;
        }
        if (!metadata.startsWith(PREFIX) || metadata.length() > MAX_METADATA_CHARS) {
            throw new IllegalArgumentException("not the pipeline's finished offsets");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length()).getBytes(StandardCharsets.US_ASCII));
        Builder builder = new Builder();
        int[] position = {0};
        long previousEnd = committed;
        while (position[0] < bytes.length) {
            long start = previousEnd + readVarint(bytes, position);
            long length = readVarint(bytes, position);
            long end = start + length;
            if (length <= 0 || start < previousEnd || end < start || start < committed) {
                throw new IllegalArgumentException("ranges out of order");
            }
            builder.add(start, end);
            previousEnd = end;
        }
        return builder.build();
    }

    private static int base64Length(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long readVarint(byte[] bytes, int[] position) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (position[0] >= bytes.length) {
                throw new IllegalArgumentException("truncated");
            }
            byte b = bytes[position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(starts[i]).append('-').append(ends[i] - 1);
        }
        return text.append(']').toString();
    }

    /** Collects ranges in ascending order; touching ranges are merged. */
    static final class Builder {

        private long[] starts = new long[8];
        private long[] ends = new long[8];
        private int size;

        /** Adds [start, end), which must not start before the end of the last range added. */
        Builder add(long start, long end) {
            if (end <= start) {
                return this;
            }
            if (size > 0 && start < ends[size - 1]) {
                throw new IllegalArgumentException("ranges must be added in order");
            }
            if (size > 0 && start == ends[size - 1]) {
                ends[size - 1] = end;
                return this;
            }
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
            }
            starts[size] = start;
            ends[size] = end;
            size++;
            return this;
        }

        FinishedOffsets build() {
            return size == 0 ? NONE : new FinishedOffsets(starts, ends, size);
        }
    }
}
