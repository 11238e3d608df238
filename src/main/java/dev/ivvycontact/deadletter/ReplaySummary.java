package dev.ivvycontact.deadletter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a replay did, by reason, and the messages it skipped because they had been replayed too often. */
public final class ReplaySummary {

    private final Map<String, Long> replayed = new TreeMap<>();
    private final Map<String, Long> skipped = new TreeMap<>();
    private final List<String> skippedMessages = new ArrayList<>();
    private long examined;
    private long lostToRetention;

    void lostToRetention(long count) {
        lostToRetention += count;
    }

    /** Dead letters retention deleted before this replay (or an earlier one) could read them. */
    public long lostToRetentionCount() {
        return lostToRetention;
    }

    void examined() {
        examined++;
    }

    void replayed(String reason) {
        replayed.merge(reason, 1L, Long::sum);
    }

    void skipped(String reason, String where) {
        skipped.merge(reason, 1L, Long::sum);
        skippedMessages.add(where);
    }

    public long examinedCount() {
        return examined;
    }

    public Map<String, Long> replayedByReason() {
        return replayed;
    }

    public Map<String, Long> skippedByReason() {
        return skipped;
    }

    public List<String> skippedMessages() {
        return skippedMessages;
    }

    public long replayedCount() {
        return replayed.values().stream().mapToLong(Long::longValue).sum();
    }
}
