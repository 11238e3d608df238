package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The output transactions alone, on Kafka's MockProducer: who joins which transaction, what commits, what aborts. */
class ExactlyOnceTest {

    private static final TopicPartition TP = new TopicPartition("in", 0);

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> client = new MockConsumer<>("earliest");
    private final ExactlyOnce exactlyOnce = new ExactlyOnce(() -> producer, () -> 0L, Duration.ofMillis(100), 3);
    private final AssignedPartition partition = new AssignedPartition(TP);
    private final AtomicInteger rewinds = new AtomicInteger();

    ExactlyOnceTest() {
        exactlyOnce.clientStarted();
    }

    @Test
    void aRoundsOutputsAndItsOffsetCommitTogether() throws Exception {
        InputRecord record = fetched(0);
        record.claimPublishing();
        record.claimPublishing(); // its dead letter, in the same round: joins once
        assertThat(producer.transactionInFlight()).isTrue();
        producer.send(output("c-0"));
        end(record, true);
        commit();
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(exactlyOnce.committed()).isEqualTo(1);
        assertThat(producer.history()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory()).hasSize(1);
        assertThat(producer.consumerGroupOffsetsHistory().get(0).values().iterator().next().get(TP).offset()).isEqualTo(1);
    }

    @Test
    void aRoundThatLeavesUnfinishedVoidsTheTransactionAndEveryPartitionIsReadAgain() throws Exception {
        InputRecord good = fetched(0);
        InputRecord failed = fetched(1);
        good.claimPublishing();
        failed.claimPublishing();
        end(good, true);
        end(failed, false); // a send failed: its other outputs may be in the transaction
        commit();
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.transactionCommitted()).isFalse();
        assertThat(rewinds).hasValue(1);
        assertThat(exactlyOnce.aborted()).isEqualTo(1);
    }

    @Test
    void aLostPartitionVoidsTheOpenTransaction() throws Exception {
        InputRecord record = fetched(0);
        record.claimPublishing();
        end(record, true);
        exactlyOnce.partitionsLost();
        commit();
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(rewinds).hasValue(1);
    }

    @Test
    void aCommitWaitsForTheRoundsThatJoinedAndNoRoundJoinsMeanwhile() throws Exception {
        InputRecord publishing = fetched(0);
        publishing.claimPublishing();
        CompletableFuture<Void> committing = CompletableFuture.runAsync(this::commit);
        Thread.sleep(100);
        assertThat(committing).as("waits for the round still publishing").isNotDone();
        InputRecord late = fetched(1);
        CompletableFuture<Void> joining = CompletableFuture.runAsync(() -> {
            try {
                late.claimPublishing();
            } catch (PartitionRevokedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(joining).as("no round joins a transaction while it commits").isNotDone();
        end(publishing, true);
        committing.get(5, TimeUnit.SECONDS);
        joining.get(5, TimeUnit.SECONDS);
        assertThat(producer.commitCount()).isEqualTo(1);
        assertThat(producer.transactionInFlight()).as("the late round opened the next one").isTrue();
    }

    /**
     * Another instance started with this transactional id: the commit throws, so that the poll thread makes its client
     * anew; no round can publish meanwhile, and the new producer's transactions work.
     */
    @Test
    void aFencedProducerEndsTheClientAndANewOneTakesOver() throws Exception {
        MockProducer<byte[], byte[]> first = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        MockProducer<byte[], byte[]> second = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        List<MockProducer<byte[], byte[]>> made = new ArrayList<>(List.of(first, second));
        ExactlyOnce fenceable = new ExactlyOnce(() -> made.remove(0), () -> 0L, Duration.ofMillis(100), 10);
        fenceable.clientStarted();
        InputRecord record = new InputRecord(new ConsumerRecord<>("in", 0, 0, null, null), partition, fenceable);
        partition.offsets().fetched(0);
        record.claimPublishing();
        first.fenceProducer();
        partition.offsets().finished(0);
        fenceable.left(record, true);
        assertThatThrownBy(() -> fenceable.commit(client, () -> Map.of(TP, partition.offsets().commitPoint()),
                confirmed -> { }, false, rewinds::incrementAndGet))
                .isInstanceOf(ProducerFencedException.class);
        fenceable.clientClosing();
        assertThat(first.closed()).isTrue();
        InputRecord meanwhile = new InputRecord(new ConsumerRecord<>("in", 0, 1, null, null), partition, fenceable);
        assertThatThrownBy(meanwhile::claimPublishing).as("no producer: nobody publishes outside a transaction")
                .isInstanceOf(PartitionRevokedException.class);
        fenceable.clientStarted();
        assertThat(fenceable.producer()).isSameAs(second);
        meanwhile.claimPublishing();
        assertThat(second.transactionInFlight()).isTrue();
    }

    @Test
    void aRoundOfARevokedPartitionCannotJoin() {
        InputRecord record = fetched(0);
        partition.lease().revoke();
        assertThatThrownBy(record::claimPublishing).isInstanceOf(PartitionRevokedException.class);
        assertThat(producer.transactionInFlight()).isFalse();
    }

    @Test
    void aTransactionIsDueAfterItsIntervalOrAtItsSize() throws Exception {
        long[] now = {0};
        MockProducer<byte[], byte[]> own = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        ExactlyOnce timed = new ExactlyOnce(() -> own, () -> now[0], Duration.ofMillis(100), 3);
        timed.clientStarted();
        assertThat(timed.commitDue()).as("nothing open").isFalse();
        InputRecord first = new InputRecord(new ConsumerRecord<>("in", 0, 0, null, null), partition, timed);
        first.claimPublishing();
        assertThat(timed.commitDue()).isFalse();
        now[0] = Duration.ofMillis(100).toNanos();
        assertThat(timed.commitDue()).isTrue();
        now[0] = 0;
        for (int offset = 1; offset < 3; offset++) {
            new InputRecord(new ConsumerRecord<>("in", 0, offset, null, null), partition, timed).claimPublishing();
        }
        assertThat(timed.commitDue()).as("three records").isTrue();
    }

    /**
     * Seeded, against a model: rounds join, publish, end finished or not; partitions are lost; commits come at any
     * step. What a read_committed reader would see (the outputs of committed transactions) is exactly one output per
     * record whose offset was committed, and the committed offset never passes a record without its output.
     */
    @Test
    void randomRunsPublishEachCommittedRecordOnce() throws Exception {
        for (long seed = 0; seed < 300; seed++) {
            MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(),
                    new ByteArraySerializer());
            ExactlyOnce guarantee = new ExactlyOnce(() -> mock, () -> 0L, Duration.ofMillis(100), 1000);
            guarantee.clientStarted();
            Random random = new Random(seed);
            AssignedPartition[] held = {new AssignedPartition(TP)};
            long[] next = {0};
            List<InputRecord> open = new ArrayList<>();
            Map<Long, Integer> visible = new HashMap<>();
            List<Long> sentThisTransaction = new ArrayList<>();
            long[] committedOffset = {0};
            Set<Long> finishedAbove = new HashSet<>();
            for (int step = 0; step < 200; step++) {
                int choice = random.nextInt(10);
                if (choice < 4) {
                    if (!held[0].offsets().fetched(next[0])) {
                        next[0]++; // finished before the rewind, says the last commit: not done again
                        continue;
                    }
                    InputRecord record = new InputRecord(new ConsumerRecord<>("in", 0, next[0]++, null, null), held[0], guarantee);
                    try {
                        record.claimPublishing();
                        mock.send(new ProducerRecord<>("out", String.valueOf(record.record().offset()).getBytes()));
                        sentThisTransaction.add(record.record().offset());
                        open.add(record);
                    } catch (PartitionRevokedException revoked) {
                        // a round of a partition being given up: read again
                    }
                } else if (choice < 7 && !open.isEmpty()) {
                    InputRecord record = open.remove(random.nextInt(open.size()));
                    boolean finished = random.nextInt(8) != 0;
                    if (finished) {
                        record.partition().offsets().finished(record.record().offset());
                    }
                    guarantee.left(record, finished);
                } else if (choice < 8) {
                    guarantee.partitionsLost();
                } else {
                    open.forEach(r -> {
                        r.partition().offsets().finished(r.record().offset());
                        guarantee.left(r, true);
                    });
                    open.clear();
                    AssignedPartition current = held[0];
                    guarantee.commit(client, () -> {
                        CommitPoint point = current.offsets().commitPoint();
                        return point == null ? Map.of() : Map.of(TP, point);
                    }, confirmed -> {
                        sentThisTransaction.forEach(o -> visible.merge(o, 1, Integer::sum));
                        if (confirmed.isEmpty()) {
                            return;
                        }
                        current.offsets().committed(confirmed.get(TP));
                        OffsetAndMetadata at = confirmed.get(TP).position();
                        committedOffset[0] = at.offset();
                        finishedAbove.clear();
                        FinishedOffsets above = FinishedOffsets.decode(at.offset(), at.metadata());
                        for (int r = 0; r < above.ranges(); r++) {
                            for (long o = above.start(r); o < above.end(r); o++) {
                                finishedAbove.add(o);
                            }
                        }
                    }, false, () -> {
                        // rewind: read again from the last commit
                        OffsetAndMetadata restart = current.offsets().restartPoint();
                        held[0] = new AssignedPartition(TP);
                        if (restart != null) {
                            held[0].offsets().inherit(restart, FinishedOffsets.decode(restart.offset(), restart.metadata()));
                        }
                        next[0] = committedOffset[0];
                    });
                    sentThisTransaction.clear();
                }
                for (Map.Entry<Long, Integer> seen : visible.entrySet()) {
                    assertThat(seen.getValue()).as("seed %d: outputs of %d seen", seed, seen.getKey()).isEqualTo(1);
                }
                for (long o = 0; o < committedOffset[0]; o++) {
                    assertThat(visible).as("seed %d: committed past %d without its output", seed, o).containsKey(o);
                }
                for (long o : finishedAbove) {
                    assertThat(visible).as("seed %d: metadata says %d finished without its output", seed, o).containsKey(o);
                }
            }
        }
    }

    private InputRecord fetched(long offset) {
        partition.offsets().fetched(offset);
        return new InputRecord(new ConsumerRecord<>("in", 0, offset, null, null), partition, exactlyOnce);
    }

    private static ProducerRecord<byte[], byte[]> output(String value) {
        return new ProducerRecord<>("out", value.getBytes());
    }

    private void end(InputRecord record, boolean finished) {
        if (finished) {
            partition.offsets().finished(record.record().offset());
        }
        exactlyOnce.left(record, finished);
    }

    private void commit() {
        exactlyOnce.commit(client, () -> {
            CommitPoint point = partition.offsets().commitPoint();
            return point == null ? Map.of() : Map.of(TP, point);
        }, confirmed -> partition.offsets().committed(confirmed.get(TP)), false, rewinds::incrementAndGet);
    }
}
