package dev.ivvycontact.deadletter;

import java.util.Set;

/**
 * What a replay should do: which reasons (empty: all), where to, whether for real, at most how many, and from how
 * many previous replays on a message is skipped instead (the loop guard).
 */
public record ReplayRequest(String deadLetterTopic, String targetTopic, String groupPrefix, Set<String> reasons,
                            boolean dryRun, long limit, int maxReplays) {

    boolean selects(String reason) {
        return reasons.isEmpty() || reasons.contains(reason);
    }
}
