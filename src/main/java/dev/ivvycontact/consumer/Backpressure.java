package dev.ivvycontact.consumer;

/**
 * When fetching pauses: before a poll that could take the records in memory past either bound, by count or by bytes
 * (a poll returns at most {@code pollRecords} records, about {@code pollBytes} bytes: the client's max.poll.records
 * and fetch.max.bytes). It resumes once both are down to half. With nothing in memory it never pauses, so a record
 * larger than the byte bound still passes, alone.
 */
final class Backpressure {

    private final int maxRecords;
    private final long maxBytes;
    private final int pollRecords;
    private final long pollBytes;

    Backpressure(int maxRecords, long maxBytes, int pollRecords, long pollBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.pollRecords = pollRecords;
        this.pollBytes = pollBytes;
    }

    /** How many records one poll may return for these bounds: a quarter of the record bound, at most Kafka's 500. */
    static int pollRecordsFor(int maxRecords) {
        return Math.max(1, Math.min(500, maxRecords / 4));
    }

    /** How many bytes one fetch may return for these bounds: a quarter of the byte bound (an int, as Kafka's setting). */
    static int pollBytesFor(long maxBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxBytes / 4));
    }

    boolean mustPause(int records, long bytes) {
        return records > 0 && (records + pollRecords > maxRecords || bytes + pollBytes > maxBytes);
    }

    boolean mayResume(int records, long bytes) {
        return records <= maxRecords / 2 && bytes <= maxBytes / 2;
    }
}
