package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * How rounds publish and how the offsets they finish are committed: {@link AtLeastOnce} (the consumer commits; a
 * crash may repeat what was in flight) or {@link ExactlyOnce} (outputs and offsets in one Kafka transaction). The
 * poll thread calls everything but {@link #join} and {@link #left}, which the rounds call.
 */
public interface ProcessingGuarantee {

    /** At least once, the consumer committing every {@code commitInterval}. */
    static ProcessingGuarantee atLeastOnce(Duration commitInterval) {
        return new AtLeastOnce(MonotonicClock.SYSTEM, commitInterval);
    }

    /** The poll thread has a new Kafka consumer (at the start, and after a failure). */
    void clientStarted();

    /** The poll thread is closing its Kafka consumer. */
    void clientClosing();

    /**
     * A round is about to publish for its record (outputs or a dead letter); throws once the record's partition is
     * no longer this instance's to publish for. Called again in the same round, it does nothing more.
     */
    void join(InputRecord record) throws PartitionRevokedException;

    /** A round that {@link #join joined} ended, having finished its record or not. */
    void left(InputRecord record, boolean finished);

    /** Is a periodic commit due? Asked by the poll thread between polls. */
    boolean commitDue();

    /** How long one poll may wait for records: a commit falls due at most this much late. */
    Duration longestPoll();

    /**
     * Commits what is finished: {@code points} is asked once nothing can finish in between; {@code confirmed} is told
     * of what Kafka took (an asynchronous commit that fails is simply made again later). {@code leaving}: the last
     * commit before partitions are given up (synchronous). When the transaction is aborted, what its rounds published
     * is void: {@code rewind} is run (every held partition is read again) before any round may join the next one.
     */
    void commit(Consumer<byte[], byte[]> client, Supplier<Map<TopicPartition, CommitPoint>> points,
                  java.util.function.Consumer<Map<TopicPartition, CommitPoint>> confirmed, boolean leaving,
                  Runnable rewind);

    /** Partitions were lost without a revocation: nothing published for them may be committed any more. */
    void partitionsLost();
}
