package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer commits each partition's safe offset, with the offsets finished above it, every interval and on the way
 * out. Rounds publish with any producer. A kill repeats only what was in flight or finished since the last commit.
 */
final class AtLeastOnce implements ProcessingGuarantee {

    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOnce.class);

    private final MonotonicClock clock;
    private final Duration interval;
    private Interval commits;

    AtLeastOnce(MonotonicClock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
        this.commits = new Interval(clock, interval);
    }

    @Override
    public void clientStarted() {
        commits = new Interval(clock, interval);
    }

    @Override
    public void clientClosing() {
        // nothing of its own to close
    }

    @Override
    public void join(InputRecord record) throws PartitionRevokedException {
        if (!record.mayPublish()) {
            throw new PartitionRevokedException(record.partition().partition());
        }
    }

    @Override
    public void left(InputRecord record, boolean finished) {
        // nothing to account for: each record's offset is committed by itself
    }

    @Override
    public boolean commitDue() {
        return commits.due();
    }

    /** A commit every second or so may wait for a poll. */
    @Override
    public Duration longestPoll() {
        return Duration.ofMillis(200);
    }

    @Override
    public void commit(Consumer<byte[], byte[]> client, Supplier<Map<TopicPartition, CommitPoint>> points,
                       java.util.function.Consumer<Map<TopicPartition, CommitPoint>> confirmed, boolean leaving,
                       Runnable rewind) {
        Map<TopicPartition, CommitPoint> offsets = points.get();
        if (offsets.isEmpty()) {
            return;
        }
        if (leaving) {
            try {
                client.commitSync(toKafka(offsets));
                confirmed.accept(offsets);
            } catch (KafkaException e) {
                LOG.warn("The final commit of {} failed (those records will be read again): {}", offsets.keySet(),
                        e.toString());
            }
        } else {
            client.commitAsync(toKafka(offsets), (done, failure) -> {
                if (failure != null) {
                    LOG.warn("Committing offsets failed (they will be committed again): {}", failure.toString());
                } else {
                    confirmed.accept(offsets);
                }
            });
        }
    }

    @Override
    public void partitionsLost() {
        // nothing was published under a transaction: what the lost partitions published stays, at least once
    }

    static Map<TopicPartition, OffsetAndMetadata> toKafka(Map<TopicPartition, CommitPoint> offsets) {
        return offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().position()));
    }
}
