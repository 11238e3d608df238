package dev.ivvycontact.consumer;

import dev.ivvycontact.consumer.OffsetTracker.CommitPoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The consumer's core on real threads, as production runs it: worker pools, a scheduler for retries and probes, rounds
 * ending on an "iVvy" pool that answers, fails for now or fails for everyone at random, while the poll thread (this
 * test) fetches, commits, revokes, assigns and restarts the consumer on the one gate. Seeded choices; the interleaving
 * is the machine's. Checked all along: one round per key per consumer at a time, no round of a revoked partition, no
 * commit past an unfinished record, no exception escaping a thread. At the end iVvy answers everything and nothing
 * nudges the circuit: the probes alone release every held round and everything fetched is committed.
 */
class RecordDispatcherStressTest {

    private static final int RUNS = 12;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "in";

    @Test
    void seededRunsOnRealThreadsKeepEveryInvariant() throws Exception {
        for (long seed = 1; seed <= RUNS; seed++) {
            try (Run run = new Run(seed)) {
                run.play();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Run implements AutoCloseable {

        private final Random random;
        private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
        private final ExecutorService ivvy = Executors.newFixedThreadPool(2);
        private final IvvyCircuit circuit = new IvvyCircuit(4,
                Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(40)), Clock.systemUTC());
        private final CircuitGate gate = new CircuitGate(circuit, (delay, task) ->
                timers.schedule(LoggedTask.of("probe", task), delay.toMillis(), TimeUnit.MILLISECONDS));
        private volatile boolean healthy;

        // The model: what the log holds, what is done, what was committed, who runs what.
        private final Map<TopicPartition, Long> position = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> logEnd = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Set<Long>> done = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        private final Map<TopicPartition, OffsetAndMetadata> lastCommit = new ConcurrentHashMap<>();
        private final Set<String> revokedGenerations = ConcurrentHashMap.newKeySet();
        private final Map<TopicPartition, Integer> generation = new ConcurrentHashMap<>();
        private final Map<InputRecord, String> generationOf = new ConcurrentHashMap<>();
        private final Set<String> keysRunning = ConcurrentHashMap.newKeySet();
        private int consumers;
        private ThreadPoolExecutor workers;
        private RecordDispatcher dispatcher;

        Run(long seed) {
            random = new Random(seed);
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                done.put(tp, ConcurrentHashMap.newKeySet());
                committed.put(tp, 0L);
                logEnd.put(tp, 0L);
            }
            startConsumer();
        }

        void play() throws Exception {
            for (int step = 0; step < 300; step++) {
                int choice = random.nextInt(100);
                if (choice < 10) {
                    assign();
                } else if (choice < 60) {
                    fetch(1 + random.nextInt(5));
                } else if (choice < 75) {
                    commit();
                } else if (choice < 80) {
                    revoke();
                } else if (choice < 82) {
                    restart();
                } else {
                    Thread.sleep(random.nextInt(3));
                }
            }
            healthy = true;
            for (TopicPartition tp : logEnd.keySet()) {
                if (!position.containsKey(tp)) {
                    assign(tp);
                }
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                assertThat(gate.heldRounds()).as("held rounds (circuit %s)", circuit.state()).isZero();
                assertThat(dispatcher.recordsInMemory()).as("records in memory").isZero();
            });
            commit();
            for (TopicPartition tp : position.keySet()) {
                assertThat(committed.get(tp)).as("everything fetched from %s is committed", tp)
                        .isGreaterThanOrEqualTo(position.get(tp)); // past it: finished by the last owner
            }
            assertThat(escaped).as("exceptions escaping a thread").isEmpty();
        }

        private void startConsumer() {
            consumers++;
            int consumer = consumers;
            workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "worker-" + consumer);
                thread.setUncaughtExceptionHandler((t, e) -> escaped.add(e));
                return thread;
            });
            dispatcher = new RecordDispatcher(record -> keyOf(record, consumer), gate,
                    (record, ended) -> runRound(record, consumer, ended), workers,
                    (delay, task) -> timers.schedule(LoggedTask.of("retry", guarded(task)), delay.toMillis(),
                            TimeUnit.MILLISECONDS), ProcessingGuarantee.atLeastOnce(Duration.ofSeconds(1)));
        }

        /** As KeyedKafkaConsumer.doStop: every partition given up, queued rounds run and let go, then a new one. */
        private void restart() {
            for (TopicPartition tp : List.copyOf(position.keySet())) {
                revoke(tp);
            }
            workers.shutdownNow().forEach(Runnable::run);
            startConsumer();
        }

        private void assign() {
            List<TopicPartition> free = logEnd.keySet().stream().filter(tp -> !position.containsKey(tp)).toList();
            if (!free.isEmpty()) {
                assign(free.get(random.nextInt(free.size())));
            }
        }

        private void assign(TopicPartition tp) {
            generation.merge(tp, 1, Integer::sum);
            OffsetAndMetadata last = lastCommit.get(tp);
            dispatcher.assigned(List.of(tp), last == null ? Map.of() : Map.of(tp, last));
            position.put(tp, committed.get(tp));
        }

        private void fetch(int records) {
            if (position.isEmpty()) {
                return;
            }
            List<TopicPartition> held = List.copyOf(position.keySet());
            TopicPartition tp = held.get(random.nextInt(held.size()));
            for (int i = 0; i < records; i++) {
                long offset = position.get(tp);
                logEnd.merge(tp, offset + 1, Math::max);
                position.put(tp, offset + 1);
                String key = "k" + (offset * 31 + tp.partition()) % 6;
                dispatcher.fetched(new ConsumerRecord<>(TOPIC, tp.partition(), offset, null,
                        key.getBytes(StandardCharsets.UTF_8)));
            }
        }

        private void commit() {
            Map<TopicPartition, CommitPoint> offsets = dispatcher.commitPoints();
            offsets.forEach(this::checkCommit);
            dispatcher.committed(offsets);
        }

        private void revoke() {
            if (!position.isEmpty()) {
                List<TopicPartition> held = List.copyOf(position.keySet());
                revoke(held.get(random.nextInt(held.size())));
            }
        }

        /** As the fetch loop: close, wait for the running rounds (briefly), forget, commit what is safe. */
        private void revoke(TopicPartition tp) {
            dispatcher.close(List.of(tp));
            try {
                dispatcher.awaitIdle(List.of(tp), MonotonicClock.SYSTEM, System.nanoTime() + 200_000_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            revokedGenerations.add(tp + "#" + generation.get(tp));
            dispatcher.revoke(List.of(tp));
            CommitPoint last = dispatcher.commitPoints().get(tp);
            if (last != null) {
                checkCommit(tp, last);
            }
            dispatcher.forget(List.of(tp));
            position.remove(tp);
        }

        /** Below the offset, and in the finished ranges of its metadata, every offset is done. */
        private void checkCommit(TopicPartition tp, CommitPoint point) {
            long offset = point.position().offset();
            for (long o = committed.get(tp); o < offset; o++) {
                assertThat(done.get(tp)).as("commit of %s at %d passes unfinished %d", tp, offset, o).contains(o);
            }
            FinishedOffsets above = FinishedOffsets.decode(offset, point.position().metadata());
            for (int range = 0; range < above.ranges(); range++) {
                for (long o = above.start(range); o < above.end(range); o++) {
                    assertThat(done.get(tp)).as("commit of %s at %d says %d is finished", tp, offset, o).contains(o);
                }
            }
            committed.merge(tp, offset, Math::max);
            lastCommit.merge(tp, point.position(), (a, b) -> b.offset() >= a.offset() ? b : a);
        }

        private String keyOf(InputRecord record, int consumer) {
            TopicPartition tp = new TopicPartition(record.record().topic(), record.record().partition());
            generationOf.put(record, tp + "#" + generation.get(tp));
            return consumer + "/" + new String(record.record().value(), StandardCharsets.UTF_8);
        }

        private void runRound(InputRecord record, int consumer, java.util.function.Consumer<RoundEnd> ended) {
            String generationNow = generationOf.get(record);
            if (revokedGenerations.contains(generationNow)) {
                escaped.add(new AssertionError("a round of revoked " + generationNow + " started"));
            }
            if (!keysRunning.add(record.key())) {
                escaped.add(new AssertionError("two rounds of " + record.key() + " at once"));
            }
            pause(random(2)); // a round holds its worker a while (signing, the call going out): queues form
            ivvy.execute(guarded(() -> {
                int outcome = healthy ? 9 : random(10);
                RoundEnd end;
                if (outcome < 2) {
                    circuit.callFailed(outcome, new TransientIvvyFailure("iVvy 500", null, null));
                    end = RoundEnd.retryAfter(Duration.ofMillis(random(5)));
                } else if (outcome < 3) {
                    circuit.callFailed(outcome, new SystemicIvvyFailure("iVvy 463", null));
                    end = RoundEnd.retryAfter(Duration.ZERO);
                } else {
                    circuit.answered();
                    end = record.mayPublish() ? finish(record) : RoundEnd.retryAfter(Duration.ZERO);
                }
                keysRunning.remove(record.key());
                ended.accept(end);
            }));
        }

        private RoundEnd finish(InputRecord record) {
            TopicPartition tp = new TopicPartition(record.record().topic(), record.record().partition());
            done.get(tp).add(record.record().offset());
            return RoundEnd.FINISHED;
        }

        private static void pause(int millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private synchronized int random(int bound) {
            return random.nextInt(bound);
        }

        private Runnable guarded(Runnable task) {
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    escaped.add(e);
                }
            };
        }

        @Override
        public void close() {
            workers.shutdownNow();
            ivvy.shutdownNow();
            timers.shutdownNow();
        }
    }
}
