package dev.ivvycontact.consumer;

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
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer's core (dispatcher, keyed scheduler, offset trackers, leases, the iVvy circuit's gate) driven through
 * thousands of seeded random interleavings of fetch, round start, call answers and failures, publishing and its
 * acknowledgement, retries, assignment, revocation (drained or timed out), lost partitions, commits and circuit
 * changes, against a simple model. After every step: no commit passes a record that is not finished, at most one round
 * of a key runs at a time and a key's records finish in fetch order, nothing is published for a partition once its
 * revocation is complete. At the end of each run, with iVvy answering again: nothing is left held or in memory.
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
        private final List<Runnable> workers = new ArrayList<>();
        private final TreeMap<Long, List<Runnable>> delayed = new TreeMap<>();
        private final List<Runnable> probeTimer = new ArrayList<>();
        private final IvvyCircuit circuit;
        private final CircuitGate gate;
        private final RecordDispatcher dispatcher;

        // The model.
        private final Map<TopicPartition, List<String>> log = new HashMap<>();
        private final Map<TopicPartition, Set<Long>> done = new HashMap<>();
        private final Map<TopicPartition, Long> committed = new HashMap<>();
        private final Map<TopicPartition, Long> position = new HashMap<>();
        private final Map<TopicPartition, Integer> generation = new HashMap<>();
        private final Set<String> revokedGenerations = new HashSet<>();
        private final Map<InputRecord, String> generationOf = new HashMap<>();
        private final Map<InputRecord, Long> fetchSequence = new HashMap<>();
        private final Map<String, Long> lastFinishedSequence = new HashMap<>();
        private final Set<String> keysRunning = new HashSet<>();
        private final List<ActiveRound> active = new ArrayList<>();
        private long sequence;

        Run(long seed) {
            random = new Random(seed);
            circuit = new IvvyCircuit(3, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)),
                    Clock.systemUTC(), () -> nowNanos);
            gate = new CircuitGate(circuit, (delay, task) -> probeTimer.add(task));
            dispatcher = new RecordDispatcher(this::keyOf, gate, this::runRound, workers::add,
                    (delay, task) -> delayed.computeIfAbsent(nowNanos + delay.toNanos(), k -> new ArrayList<>()).add(task));
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
            dispatcher.assigned(List.of(tp));
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
            Map<TopicPartition, Long> offsets = dispatcher.commitCandidates();
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
            TopicPartition tp = held.get(random.nextInt(held.size()));
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
            dispatcher.forget(List.of(tp)).forEach(this::checkCommit);
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

        private void checkCommit(TopicPartition tp, long offset) {
            for (long o = 0; o < offset; o++) {
                if (!done.get(tp).contains(o)) {
                    fail("committed " + tp + " at " + offset + " while offset " + o + " is not finished");
                }
            }
            committed.merge(tp, offset, Math::max);
        }

        // --- the route's side: rounds ----------------------------------------------------------------------------

        private String keyOf(InputRecord input) {
            fetchSequence.put(input, sequence++);
            TopicPartition tp = partitionOf(input);
            generationOf.put(input, tp + "#" + generation.get(tp));
            String value = new String(input.record().value(), StandardCharsets.UTF_8);
            return value.isEmpty() ? null : value;
        }

        private void runRound(InputRecord record, Consumer<RoundEnd> ended) {
            if (record.key() != null && !keysRunning.add(record.key())) {
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
            int outcome = random.nextInt(10);
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
                Long last = lastFinishedSequence.put(record.key(), seq);
                if (last != null && last > seq) {
                    fail("key " + record.key() + " finished a record fetched before one it had already finished");
                }
            }
            end(round, RoundEnd.FINISHED);
        }

        private void end(ActiveRound round, RoundEnd end) {
            active.remove(round);
            if (round.record.key() != null) {
                keysRunning.remove(round.record.key());
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

        /** iVvy answers again and everything runs to its end: nothing may be left held or in memory. */
        private void settle() {
            circuit.answered();
            for (int i = 0; i < 100_000 && (!workers.isEmpty() || !active.isEmpty() || !delayed.isEmpty()); i++) {
                if (!workers.isEmpty()) {
                    workers.remove(0).run();
                } else if (!active.isEmpty()) {
                    ActiveRound round = active.get(0);
                    if (round.claimed) {
                        acknowledge(round);
                    } else {
                        circuit.answered();
                        claim(round);
                    }
                } else {
                    advanceTime(Duration.ofSeconds(5));
                }
            }
            assertThat(gate.heldRounds()).as("rounds held once iVvy answers").isZero();
            assertThat(dispatcher.recordsInMemory()).as("records left in memory").isZero();
            commit();
            for (TopicPartition tp : position.keySet()) {
                assertThat(committed.get(tp)).as("everything fetched from " + tp + " is committed")
                        .isEqualTo(position.get(tp));
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
