package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer's core (dispatcher, keyed scheduler, offset trackers, leases, the iVvy circuit's gate) driven through
 * thousands of seeded random interleavings of fetch, round start, call answers and failures, publishing and its
 * acknowledgement, retries, assignment, revocation (drained or timed out), lost partitions, commits, circuit changes,
 * and the consumer stopped and started again on the same gate (its worker pool rejecting from then on, as a stopped
 * pool does), against a simple model. After every step: no commit passes a record that is not finished, at most one
 * round of a key runs at a time and a key's records finish in fetch order, nothing is published for a partition once
 * its revocation is complete, no round of a revoked partition starts, at most one probe is out. At the end of each
 * run iVvy answers every call again, and nothing nudges the circuit: each held round must be released by probes
 * alone within a few probe delays, and nothing is left held or in memory.
 */
class RecordDispatcherModelTest {

    private static final int RUNS = 400;
    private static final int STEPS = 400;

    @Test
    void randomInterleavingsKeepEveryInvariant() {
        for (long seed = 1; seed <= RUNS; seed++) {
            try {
                new Run(seed).play();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** One seeded run against its own model. */
    private static final class Run {

        private static final String TOPIC = "in";
        private static final int PARTITIONS = 3;

        private final Random random;
        private long nowNanos = 1_000_000_000L;
        private List<Runnable> workers = new ArrayList<>();
        private boolean ivvyHealthy;
        private final Map<Long, Integer> probesOut = new HashMap<>();
        private final TreeMap<Long, List<Runnable>> delayed = new TreeMap<>();
        private final List<Runnable> probeTimer = new ArrayList<>();
        private final IvvyCircuit circuit;
        private final CircuitGate gate;
        private RecordDispatcher dispatcher;

        // The model.
        private final Map<TopicPartition, List<String>> log = new HashMap<>();
        private final Map<TopicPartition, Set<Long>> done = new HashMap<>();
        private final Map<TopicPartition, Long> committed = new HashMap<>();
        // Each partition's last commit, which its next owner inherits, and what the current owner inherited.
        private final Map<TopicPartition, OffsetAndMetadata> lastCommit = new HashMap<>();
        private final Map<TopicPartition, FinishedOffsets> inherited = new HashMap<>();
        private final Map<TopicPartition, Long> position = new HashMap<>();
        private final Map<TopicPartition, Integer> generation = new HashMap<>();
        private final Set<String> revokedGenerations = new HashSet<>();
        private final Map<InputRecord, String> generationOf = new HashMap<>();
        private final Map<InputRecord, Long> fetchSequence = new HashMap<>();
        private final Map<String, Long> lastFinishedSequence = new HashMap<>();
        // Keys with a round running, per consumer: a stopped consumer's round past its drain may still run, but it can
        // no longer publish (its partitions are revoked), so order is the business of each consumer.
        private final Set<String> keysRunning = new HashSet<>();
        private final Map<InputRecord, Integer> consumerOf = new HashMap<>();
        private int consumers;
        private final List<ActiveRound> active = new ArrayList<>();
        private long sequence;

        Run(long seed) {
            random = new Random(seed);
            circuit = new IvvyCircuit(3, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)),
                    Clock.systemUTC());
            gate = new CircuitGate(circuit, (delay, task) -> probeTimer.add(task));
            dispatcher = newConsumer();
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                log.put(tp, new ArrayList<>());
                done.put(tp, new HashSet<>());
                committed.put(tp, 0L);
            }
        }

        void play() {
            for (int step = 0; step < STEPS; step++) {
                step();
            }
            settle();
        }

        /**
         * A consumer's dispatcher on the one gate, with its own worker pool; the gate sees rounds through a wrapper
         * that counts the probes out.
         */
        private RecordDispatcher newConsumer() {
            List<Runnable> pool = new ArrayList<>();
            workers = pool;
            RecordGate counted = new RecordGate() {
                @Override
                public void admit(GatedRound round) {
                    gate.admit(new ProbeCounting(round));
                }

                @Override
                public boolean holding() {
                    return gate.holding();
                }

                @Override
                public void prune() {
                    gate.prune();
                }
            };
            return new RecordDispatcher(this::keyOf, counted, this::runRound, task -> {
                if (pool != workers) {
                    throw new RejectedExecutionException("the pool of a stopped consumer");
                }
                pool.add(task);
            }, (delay, task) -> delayed.computeIfAbsent(nowNanos + delay.toNanos(), k -> new ArrayList<>()).add(task),
                    ProcessingGuarantee.atLeastOnce(Duration.ofSeconds(1)));
        }

        /**
         * The consumer stops as KeyedKafkaConsumer.doStop does it (every partition given up, the tasks still queued
         * for its workers run and let go, its pool rejecting from then on) and a new one starts on the same gate.
         */
        private void restart() {
            for (TopicPartition tp : List.copyOf(position.keySet())) {
                revoke(tp, true); // the stop waits for running rounds (the drain timeout is not reached here)
            }
            List<Runnable> queued = List.copyOf(workers);
            consumers++;
            dispatcher = newConsumer();
            queued.forEach(Runnable::run);
        }

        /**
         * A round as the gate sees it, counting the probes let through until their pass closes: one per half-open
         * spell (a probe of an earlier spell may still be running when iVvy was found down again and a new spell began).
         */
        private final class ProbeCounting implements RecordGate.GatedRound {

            private final RecordGate.GatedRound round;

            ProbeCounting(RecordGate.GatedRound round) {
                this.round = round;
            }

            @Override
            public void start(RecordGate.GatePass pass) {
                if (pass == RecordGate.GatePass.NONE) {
                    round.start(pass);
                    return;
                }
                long episode = circuit.episode();
                assertThat(probesOut.getOrDefault(episode, 0)).as("probes out in half-open spell %d", episode).isZero();
                probesOut.merge(episode, 1, Integer::sum);
                boolean[] closed = new boolean[1];
                round.start(() -> {
                    assertThat(closed[0]).as("a probe's pass closed twice").isFalse();
                    closed[0] = true;
                    probesOut.merge(episode, -1, Integer::sum);
                    pass.close();
                });
            }

            @Override
            public boolean live() {
                return round.live();
            }

            @Override
            public void drop() {
                round.drop();
            }
        }

        private void step() {
            int choice = random.nextInt(100);
            if (choice < 8) {
                assign();
            } else if (choice < 30) {
                fetch();
            } else if (choice < 50) {
                runWorker();
            } else if (choice < 72) {
                advanceActiveRound();
            } else if (choice < 80) {
                advanceTime(Duration.ofMillis(random.nextInt(2500)));
            } else if (choice < 86) {
                commit();
            } else if (choice < 91) {
                revoke(random.nextBoolean());
            } else if (choice < 93) {
                lose();
            } else if (choice < 94) {
                restart();
            } else if (choice < 97) {
                circuit.callFailed(random.nextInt(5), new SystemicIvvyFailure("iVvy 463", null));
            } else {
                circuit.answered();
            }
        }

        // --- the Kafka side --------------------------------------------------------------------------------------

        private void assign() {
            List<TopicPartition> free = log.keySet().stream().filter(tp -> !position.containsKey(tp)).toList();
            if (free.isEmpty()) {
                return;
            }
            TopicPartition tp = free.get(random.nextInt(free.size()));
            OffsetAndMetadata last = lastCommit.get(tp);
            dispatcher.assigned(List.of(tp), last == null ? Map.of() : Map.of(tp, last));
            inherited.put(tp, last == null ? FinishedOffsets.NONE : FinishedOffsets.decode(last.offset(), last.metadata()));
            position.put(tp, committed.get(tp)); // a new owner starts at the committed offset
            generation.merge(tp, 1, Integer::sum);
        }

        private void fetch() {
            if (position.isEmpty()) {
                return;
            }
            List<TopicPartition> held = List.copyOf(position.keySet());
            TopicPartition tp = held.get(random.nextInt(held.size()));
            long offset = position.get(tp);
            List<String> records = log.get(tp);
            if (offset == records.size()) {
                // A few keys, so that order matters; now and then input that needs no key (refused input).
                records.add(random.nextInt(10) == 0 ? "" : "k" + random.nextInt(4));
            }
            position.put(tp, offset + 1);
            byte[] value = records.get((int) offset).getBytes(StandardCharsets.UTF_8);
            dispatcher.fetched(new ConsumerRecord<>(TOPIC, tp.partition(), offset, null, value));
        }

        private void commit() {
            Map<TopicPartition, CommitPoint> offsets = dispatcher.commitPoints();
            offsets.forEach(this::checkCommit);
            dispatcher.committed(offsets);
        }

        /**
         * The revocation as the fetch loop does it: close (nothing new starts), let the running rounds end (or time
         * out), then forget (nothing more is published) and commit what is safe.
         */
        private void revoke(boolean drained) {
            if (position.isEmpty()) {
                return;
            }
            List<TopicPartition> held = List.copyOf(position.keySet());
            revoke(held.get(random.nextInt(held.size())), drained);
        }

        private void revoke(TopicPartition tp, boolean drained) {
            dispatcher.close(List.of(tp));
            if (drained) {
                for (ActiveRound round : List.copyOf(active)) {
                    if (generationOf.get(round.record).equals(tp + "#" + generation.get(tp))) {
                        while (active.contains(round)) {
                            advance(round);
                        }
                    }
                }
            }
            revokedGenerations.add(tp + "#" + generation.get(tp));
            dispatcher.revoke(List.of(tp)); // then commit, then forget: as the fetch loop
            CommitPoint last = dispatcher.commitPoints().get(tp);
            if (last != null) {
                checkCommit(tp, last);
            }
            dispatcher.forget(List.of(tp));
            position.remove(tp);
        }

        private void lose() {
            if (position.isEmpty()) {
                return;
            }
            TopicPartition tp = List.copyOf(position.keySet()).get(random.nextInt(position.size()));
            dispatcher.close(List.of(tp));
            revokedGenerations.add(tp + "#" + generation.get(tp));
            dispatcher.forget(List.of(tp));
            position.remove(tp);
        }

        /** Below the offset, and in the finished ranges of its metadata, every offset is done. */
        private void checkCommit(TopicPartition tp, CommitPoint point) {
            long offset = point.position().offset();
            for (long o = 0; o < offset; o++) {
                if (!done.get(tp).contains(o)) {
                    fail("committed " + tp + " at " + offset + " while offset " + o + " is not finished");
                }
            }
            FinishedOffsets above = FinishedOffsets.decode(offset, point.position().metadata());
            for (int range = 0; range < above.ranges(); range++) {
                for (long o = above.start(range); o < above.end(range); o++) {
                    if (!done.get(tp).contains(o)) {
                        fail("the commit of " + tp + " at " + offset + " says " + o + " is finished; it is not");
                    }
                }
            }
            committed.merge(tp, offset, Math::max);
            lastCommit.merge(tp, point.position(), (a, b) -> b.offset() >= a.offset() ? b : a);
        }

        // --- the route's side: rounds ----------------------------------------------------------------------------

        private String keyOf(InputRecord input) {
            fetchSequence.put(input, sequence++);
            TopicPartition tp = partitionOf(input);
            generationOf.put(input, tp + "#" + generation.get(tp));
            consumerOf.put(input, consumers);
            String value = new String(input.record().value(), StandardCharsets.UTF_8);
            return value.isEmpty() ? null : value;
        }

        private void runRound(InputRecord record, Consumer<RoundEnd> ended) {
            assertThat(revokedGenerations).as("a round of a revoked partition started").doesNotContain(generationOf.get(record));
            assertThat(inherited.get(partitionOf(record)).contains(record.record().offset()))
                    .as("a round of %s, which the last commit says is finished", record).isFalse();
            if (record.key() != null && !keysRunning.add(consumerOf.get(record) + "/" + record.key())) {
                fail("two rounds of key " + record.key() + " at once");
            }
            active.add(new ActiveRound(record, ended));
        }

        private void runWorker() {
            if (!workers.isEmpty()) {
                workers.remove(random.nextInt(workers.size())).run();
            }
        }

        private void advanceActiveRound() {
            if (!active.isEmpty()) {
                advance(active.get(random.nextInt(active.size())));
            }
        }

        /** One step of a running round: its call answered or failed, its publishing begun or acknowledged. */
        private void advance(ActiveRound round) {
            if (round.claimed) {
                acknowledge(round);
                return;
            }
            int outcome = ivvyHealthy ? 9 : random.nextInt(10);
            if (round.record.key() != null && outcome < 2) {
                circuit.callFailed(random.nextInt(5), new TransientIvvyFailure("iVvy 500", null, null));
                end(round, RoundEnd.retryAfter(Duration.ofMillis(random.nextInt(3000))));
            } else if (round.record.key() != null && outcome < 3) {
                circuit.callFailed(random.nextInt(5), new SystemicIvvyFailure("iVvy 401", null));
                end(round, RoundEnd.retryAfter(Duration.ZERO));
            } else if (outcome < 4) {
                end(round, RoundEnd.retryAfter(Duration.ofMillis(random.nextInt(3000)))); // Kafka refused, say
            } else {
                if (round.record.key() != null) {
                    circuit.answered();
                }
                claim(round);
            }
        }

        private void claim(ActiveRound round) {
            try {
                round.record.claimPublishing();
            } catch (PartitionRevokedException revoked) {
                assertThat(revokedGenerations).as("a claim refused before the partition was revoked")
                        .contains(generationOf.get(round.record));
                end(round, RoundEnd.retryAfter(Duration.ZERO));
                return;
            }
            if (revokedGenerations.contains(generationOf.get(round.record))) {
                fail("a claim was granted for " + round.record + " after its partition was revoked");
            }
            round.claimed = true;
        }

        private void acknowledge(ActiveRound round) {
            InputRecord record = round.record;
            done.get(partitionOf(record)).add(record.record().offset());
            if (record.key() != null) {
                long seq = fetchSequence.get(record);
                // Per consumer, as keysRunning: a stopped consumer's claimed round may still finish after its successor.
                Long last = lastFinishedSequence.put(consumerOf.get(record) + "/" + record.key(), seq);
                if (last != null && last > seq) {
                    fail("key " + record.key() + " finished a record fetched before one it had already finished");
                }
            }
            end(round, RoundEnd.FINISHED);
        }

        private void end(ActiveRound round, RoundEnd end) {
            active.remove(round);
            if (round.record.key() != null) {
                keysRunning.remove(consumerOf.get(round.record) + "/" + round.record.key());
            }
            round.ended.accept(end);
        }

        private void advanceTime(Duration by) {
            nowNanos += by.toNanos();
            while (!delayed.isEmpty() && delayed.firstKey() <= nowNanos) {
                delayed.pollFirstEntry().getValue().forEach(Runnable::run);
            }
            List<Runnable> probes = List.copyOf(probeTimer);
            probeTimer.clear();
            probes.forEach(Runnable::run);
        }

        /**
         * iVvy answers every call from now on, and nothing else tells the circuit: the probes alone must bring every
         * held round back within a few probe delays (4 s at most here), and then everything runs to its end.
         */
        private void settle() {
            ivvyHealthy = true;
            long deadline = nowNanos + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 100_000 && (!workers.isEmpty() || !active.isEmpty() || !delayed.isEmpty()
                    || gate.heldRounds() > 0); i++) {
                if (!workers.isEmpty()) {
                    workers.remove(0).run();
                } else if (!active.isEmpty()) {
                    advance(active.get(0));
                } else {
                    advanceTime(Duration.ofSeconds(1));
                    assertThat(nowNanos).as("held rounds released by the probes (state %s, %d held)", circuit.state(),
                            gate.heldRounds()).isLessThan(deadline);
                }
            }
            assertThat(gate.heldRounds()).as("rounds held once iVvy answers").isZero();
            assertThat(probesOut.values()).as("probes out at the end").allMatch(out -> out == 0);
            assertThat(dispatcher.recordsInMemory()).as("records left in memory").isZero();
            commit();
            for (TopicPartition tp : position.keySet()) {
                // At or past it: what the last owner finished beyond the position counts as done too.
                assertThat(committed.get(tp)).as("everything fetched from " + tp + " is committed")
                        .isGreaterThanOrEqualTo(position.get(tp));
            }
        }

        private static TopicPartition partitionOf(InputRecord record) {
            return new TopicPartition(record.record().topic(), record.record().partition());
        }

        private static final class ActiveRound {

            private final InputRecord record;
            private final Consumer<RoundEnd> ended;
            private boolean claimed;

            ActiveRound(InputRecord record, Consumer<RoundEnd> ended) {
                this.record = record;
                this.ended = ended;
            }
        }
    }
}
