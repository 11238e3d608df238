package dev.ivvycontact.commands;

import dev.ivvycontact.pipeline.PipelineSettings;
import dev.ivvycontact.sync.SyncState;
import dev.ivvycontact.sync.SyncStateStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code sync --status}: where the change capture stands, for an operator without kcat: the watermark and its last
 * window, and the member of the group that leads the sync (the holder of input partition 0). Changes nothing.
 */
final class SyncStatus {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final PipelineSettings settings;
    private final SyncStateStore store;
    private final PrintStream out;

    SyncStatus(PipelineSettings settings, SyncStateStore store, PrintStream out) {
        this.settings = settings;
        this.store = store;
        this.out = out;
    }

    /** Prints the status; 0 when it could be read, 1 otherwise. */
    int print() {
        try {
            Optional<SyncState> state = store.read();
            out.println("watermark " + store.describe() + ": " + state.map(s -> s.windowEnd() + " ("
                    + Duration.between(s.windowEnd(), Instant.now()).toSeconds() + " s ago)").orElse("none yet"));
            state.ifPresent(s -> out.println("last window: " + s.windowStart() + "/" + s.windowEnd() + ", " + s.ids()
                    + " ids over " + s.pages() + " pages, completed " + s.completedAt() + " by " + s.instance()));
            out.println("sync: " + (settings.sync().enabled() ? "every " + settings.sync().interval() : "off (SYNC_INTERVAL unset)")
                    + ", overlap " + settings.sync().overlap());
            out.println("leader: " + leader());
            out.println("last failure: see /observe/health (contact-sync) on the leader");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("sync --status failed: " + e.getMessage());
            return 1;
        }
    }

    /** The member holding partition 0 of the input, as the group's coordinator says. */
    private String leader() {
        Properties props = new Properties();
        props.putAll(settings.kafkaClientProperties());
        TopicPartition zero = new TopicPartition(settings.topics().input(), 0);
        try (Admin admin = Admin.create(props)) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(settings.groupId()))
                    .describedGroups().get(settings.groupId()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return group.members().stream().filter(m -> m.assignment().topicPartitions().contains(zero))
                    .findFirst().map(SyncStatus::describe)
                    .orElse("none: no member of group " + settings.groupId() + " holds " + zero + " (is the pipeline running?)");
        } catch (ExecutionException e) {
            return e.getCause() instanceof GroupIdNotFoundException
                    ? "none: group " + settings.groupId() + " has no members (is the pipeline running?)"
                    : "unknown (" + e.getCause() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        } catch (TimeoutException e) {
            return "unknown (the group's coordinator did not answer within " + TIMEOUT.toSeconds() + " s)";
        }
    }

    private static String describe(MemberDescription member) {
        return member.consumerId() + " on " + member.host() + " (client " + member.clientId() + ")";
    }
}
