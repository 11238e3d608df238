package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's state, apart from the Kafka client: which partitions are held, which records are in memory, when
 * each record's next round starts. A keyed record runs after the previous record of its key has finished, through
 * the gate; a failed round is run again after the delay it asked for, still holding its key; a record whose
 * partition was revoked is let go unfinished, to be read again by the partition's next owner.
 *
 * <p>Thread use: {@link #fetched}, {@link #assigned}, {@link #revoke}, {@link #forget} and {@link #commitPoints}
 * come from the poll thread; rounds start on the workers and end on whatever thread completes them.
 */
final class RecordDispatcher {

    private final Map<TopicPartition, AssignedPartition> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger inMemory = new AtomicInteger();
    private final AtomicLong bytesInMemory = new AtomicLong();
    private final RecordKeys keys;
    private final RecordGate gate;
    private final RoundRunner runner;
    private final Executor workers;
    private final DelayedStart delayed;
    private final ProcessingGuarantee guarantee;
    private final KeyedScheduler<InputRecord> scheduler = new KeyedScheduler<>();

    RecordDispatcher(RecordKeys keys, RecordGate gate, RoundRunner runner, Executor workers, DelayedStart delayed,
                     ProcessingGuarantee guarantee) {
        this.guarantee = guarantee;
        this.keys = keys;
        this.gate = gate;
        this.runner = runner;
        this.workers = workers;
        this.delayed = delayed;
    }

    /** {@code lastCommits}: each partition's last commit, where there is one (its metadata says what is finished). */
    void assigned(Collection<TopicPartition> assigned, Map<TopicPartition, OffsetAndMetadata> lastCommits) {
        assigned.forEach(tp -> {
            AssignedPartition partition = new AssignedPartition(tp);
            OffsetAndMetadata lastCommit = lastCommits.get(tp);
            if (lastCommit != null) {
                partition.offsets().inherit(lastCommit, FinishedOffsets.of(tp, lastCommit));
            }
            partitions.put(tp, partition);
        });
    }

    void fetched(ConsumerRecord<byte[], byte[]> record) {
        AssignedPartition partition = partitions.get(new TopicPartition(record.topic(), record.partition()));
        if (partition == null) {
            return; // fetched just before its revocation: the next owner reads it
        }
        if (!partition.offsets().fetched(record.offset())) {
            return; // the last commit says it was finished: not done again
        }
        inMemory.incrementAndGet();
        bytesInMemory.addAndGet(sizeOf(record));
        InputRecord input = new InputRecord(record, partition, guarantee);
        Object carried = partition.attachments().get(record.offset());
        if (carried != null) {
            input.attach(carried);
        }
        String key = keys.keyOf(input);
        input.key(key);
        if (key == null || scheduler.submit(key, input)) {
            admit(input);
        }
    }

    /**
     * Giving these partitions up, step one: no new round of theirs starts; what is queued, held or waiting to retry is
     * let go at its next step. Rounds already running may finish and publish.
     */
    void close(Collection<TopicPartition> released) {
        released.forEach(tp -> {
            AssignedPartition partition = partitions.get(tp);
            if (partition != null) {
                partition.lease().close();
            }
        });
        gate.prune();
    }

    /** Waits, up to the deadline, for the running rounds of these partitions; true when all have ended. */
    boolean awaitIdle(Collection<TopicPartition> released, MonotonicClock clock, long deadlineNanos)
            throws InterruptedException {
        for (TopicPartition tp : released) {
            AssignedPartition partition = partitions.get(tp);
            if (partition != null && !partition.lease().awaitIdle(clock, deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits, up to the deadline, until every record in memory has finished or been let go; true when none is left.
     * Gives up early while the gate holds rounds back: they can't finish before the service they call is back.
     */
    boolean awaitNothingInMemory(MonotonicClock clock, long deadlineNanos) throws InterruptedException {
        synchronized (inMemory) {
            while (inMemory.get() > 0) {
                long left = deadlineNanos - clock.nanoTime();
                if (left <= 0 || gate.holding()) {
                    return false;
                }
                inMemory.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
            }
            return true;
        }
    }

    /** Giving these partitions up, step two: nothing more is published for them (rounds that did, have). */
    void revoke(Collection<TopicPartition> released) {
        released.forEach(tp -> {
            AssignedPartition partition = partitions.get(tp);
            if (partition != null) {
                partition.lease().revoke();
            }
        });
        gate.prune(); // a lost partition, or the consumer stopping: the gate must not keep their rounds
    }

    /** Giving these partitions up, the end: revoked, and no longer held. */
    void forget(Collection<TopicPartition> released) {
        revoke(released);
        released.forEach(partitions::remove);
    }

    /**
     * What was done since these partitions' last commits is void: they are held anew from there, with the
     * attachments of their records in memory carried over. Returns where each must be read again from.
     */
    Map<TopicPartition, OffsetAndMetadata> rewind(Collection<TopicPartition> voided) {
        Map<TopicPartition, OffsetAndMetadata> restartPoints = new HashMap<>();
        for (TopicPartition tp : voided) {
            AssignedPartition old = partitions.get(tp);
            if (old == null) {
                continue;
            }
            old.lease().revoke();
            AssignedPartition fresh = new AssignedPartition(tp);
            OffsetAndMetadata restartPoint = old.offsets().restartPoint();
            if (restartPoint != null) {
                restartPoints.put(tp, restartPoint);
                fresh.offsets().inherit(restartPoint, FinishedOffsets.of(tp, restartPoint));
            }
            fresh.attachments().putAll(old.attachments());
            partitions.put(tp, fresh);
        }
        gate.prune();
        return restartPoints;
    }

    /** For each held partition where something finished since its last commit, what to commit now. */
    Map<TopicPartition, CommitPoint> commitPoints() {
        Map<TopicPartition, CommitPoint> offsets = new HashMap<>();
        partitions.forEach((tp, partition) -> {
            CommitPoint point = partition.offsets().commitPoint();
            if (point != null) {
                offsets.put(tp, point);
            }
        });
        return offsets;
    }

    /** Kafka confirmed these commits. */
    void committed(Map<TopicPartition, CommitPoint> offsets) {
        offsets.forEach((tp, point) -> {
            AssignedPartition partition = partitions.get(tp);
            if (partition != null) {
                partition.offsets().committed(point);
            }
        });
    }

    Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Records fetched and not finished nor let go: what fetching is paused on. */
    int recordsInMemory() {
        return inMemory.get();
    }

    /** Their keys' and values' bytes. */
    long bytesInMemory() {
        return bytesInMemory.get();
    }

    private static long sizeOf(ConsumerRecord<byte[], byte[]> record) {
        return (long) Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    }

    /**
     * The one path into work, for every round of every record: fetched, run again after a failure, handed over by its
     * key, let through by the gate. A record whose partition is no longer held is let go here; a keyed one goes
     * through the gate, which checks the same again when it lets a held round through.
     */
    private void admit(InputRecord input) {
        if (!input.partition().lease().held()) {
            letGo(input);
        } else if (input.key() == null) {
            new Round(input).start(RecordGate.GatePass.NONE);
        } else {
            gate.admit(new Round(input));
        }
    }

    private void run(InputRecord input, RecordGate.GatePass pass) {
        if (!input.partition().lease().tryStartRound()) {
            pass.close();
            letGo(input);
            return;
        }
        runner.run(input, end -> ended(input, pass, end));
    }

    private void ended(InputRecord input, RecordGate.GatePass pass, RoundEnd end) {
        PartitionLease lease = input.partition().lease();
        if (end.finished()) {
            input.partition().offsets().finished(input.record().offset());
        }
        if (input.joined()) {
            guarantee.left(input, end.finished()); // after the offset is marked: the transaction's commit includes it
        }
        lease.roundEnded(); // after the offset is marked: a drain waiting for the round then commits past it
        pass.close();
        if (end.finished() || !lease.held()) {
            letGo(input);
        } else {
            delayed.after(end.retryDelay(), () -> admit(input));
        }
    }

    /**
     * The record leaves memory, finished or to be read again; the next record of its key is admitted. Records of
     * the key whose partition has gone meanwhile are let go in the same loop.
     */
    private void letGo(InputRecord input) {
        InputRecord leaving = input;
        while (leaving != null) {
            keys.released(leaving);
            leaving.partition().attachments().remove(leaving.record().offset());
            bytesInMemory.addAndGet(-sizeOf(leaving.record()));
            if (inMemory.decrementAndGet() == 0) {
                synchronized (inMemory) {
                    inMemory.notifyAll();
                }
            }
            InputRecord next = leaving.key() == null ? null : scheduler.completed(leaving.key());
            if (next != null && next.partition().lease().held()) {
                admit(next);
                return;
            }
            leaving = next;
        }
    }

    /** One round of a record, as the workers and the gate see it. */
    private final class Round implements RecordGate.GatedRound {

        private final InputRecord input;

        Round(InputRecord input) {
            this.input = input;
        }

        @Override
        public void start(RecordGate.GatePass pass) {
            try {
                workers.execute(() -> run(input, pass));
            } catch (RejectedExecutionException stopped) {
                // The consumer stopped while the round waited (in the gate, or for its retry): it is read again later.
                pass.close();
                letGo(input);
            }
        }

        @Override
        public boolean live() {
            return input.partition().lease().held();
        }

        @Override
        public void drop() {
            letGo(input);
        }
    }
}
