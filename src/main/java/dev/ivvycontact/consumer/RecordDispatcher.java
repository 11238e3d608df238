package dev.ivvycontact.consumer;

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
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer's state, apart from the Kafka client: which partitions are held, which records are in memory, when
 * each record's next round starts. A keyed record runs after the previous record of its key has finished, through
 * the gate; a failed round is run again after the delay it asked for, still holding its key; a record whose
 * partition was revoked is let go unfinished, to be read again by the partition's next owner.
 *
 * <p>Thread use: {@link #fetched}, {@link #assigned}, {@link #revoke}, {@link #forget} and {@link #commitCandidates}
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
    private final KeyedScheduler<InputRecord> scheduler = new KeyedScheduler<>();

    RecordDispatcher(RecordKeys keys, RecordGate gate, RoundRunner runner, Executor workers, DelayedStart delayed) {
        this.keys = keys;
        this.gate = gate;
        this.runner = runner;
        this.workers = workers;
        this.delayed = delayed;
    }

    void assigned(Collection<TopicPartition> assigned) {
        assigned.forEach(tp -> partitions.put(tp, new AssignedPartition(tp)));
    }

    void fetched(ConsumerRecord<byte[], byte[]> record) {
        AssignedPartition partition = partitions.get(new TopicPartition(record.topic(), record.partition()));
        if (partition == null) {
            return; // fetched just before its revocation: the next owner reads it
        }
        partition.offsets().fetched(record.offset());
        inMemory.incrementAndGet();
        bytesInMemory.addAndGet(sizeOf(record));
        InputRecord input = new InputRecord(record, partition);
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

    /**
     * Giving these partitions up, step two: nothing more is published for them; returns for each the offset to commit
     * on the way out (none if nothing moved since the last commit).
     */
    Map<TopicPartition, Long> forget(Collection<TopicPartition> released) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : released) {
            AssignedPartition partition = partitions.remove(tp);
            if (partition != null) {
                partition.lease().revoke();
                long candidate = partition.offsets().commitCandidate();
                if (candidate >= 0) {
                    offsets.put(tp, candidate);
                }
            }
        }
        gate.prune(); // a lost partition, or the consumer stopping: the gate must not keep their rounds
        return offsets;
    }

    /** For each held partition whose safe offset moved since its last commit, that offset. */
    Map<TopicPartition, Long> commitCandidates() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach((tp, partition) -> {
            long candidate = partition.offsets().commitCandidate();
            if (candidate >= 0) {
                offsets.put(tp, candidate);
            }
        });
        return offsets;
    }

    /** Kafka confirmed these commits. */
    void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, offset) -> {
            AssignedPartition partition = partitions.get(tp);
            if (partition != null) {
                partition.offsets().committed(offset);
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
