package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher with real worker pools and the iVvy circuit's gate, one consumer after another, as Camel restarts it. */
class RecordDispatcherTest {

    private static final TopicPartition TP = new TopicPartition("in", 0);

    private final IvvyCircuit circuit = new IvvyCircuit(20,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC());
    private final List<Runnable> probeTimer = new ArrayList<>();
    private final CircuitGate gate = new CircuitGate(circuit, (delay, task) -> probeTimer.add(task));
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    /**
     * Issue 17, item A: a consumer stops while the circuit holds its rounds (one record waits behind its key); a new
     * consumer starts on the same gate. The first probe must be the new consumer's round and run: no round of the
     * stopped consumer may stay in the gate, be started on its stopped pool, or leave the circuit half open for good.
     */
    @Test
    void aConsumerRestartedWhileRoundsAreHeldStillProbesAndRecovers() {
        circuit.callFailed(1, new SystemicIvvyFailure("iVvy 463", null));
        Consumer first = new Consumer();
        first.dispatcher.assigned(List.of(TP), Map.of());
        first.fetch(0, "a");
        first.fetch(1, "a"); // waits behind offset 0 of its key
        first.fetch(2, "b");
        assertThat(gate.heldRounds()).isEqualTo(2);

        first.stop();
        assertThat(gate.heldRounds()).as("the stopped consumer's rounds leave the gate").isZero();
        assertThat(first.dispatcher.recordsInMemory()).isZero();

        Consumer second = new Consumer();
        second.dispatcher.assigned(List.of(TP), Map.of());
        second.fetch(0, "a");
        fireProbeTimer();
        await().atMost(Duration.ofSeconds(5)).until(() -> !second.started.isEmpty());
        assertThat(second.started).extracting(r -> r.record().offset()).containsExactly(0L);
        assertThat(first.started).isEmpty();
        circuit.answered();
        assertThat(circuit.isClosed()).isTrue();
    }

    /**
     * Issue 17, item A: a record whose retry comes due after its partition was revoked, while the circuit is open, is
     * let go at admission (with the record behind it on its key): never held by the gate, never started.
     */
    @Test
    void aRetryAfterTheRevocationIsLetGoNotHeldNorStarted() {
        List<Runnable> retries = new ArrayList<>();
        Consumer consumer = new Consumer((delay, task) -> retries.add(task));
        consumer.dispatcher.assigned(List.of(TP), Map.of());
        consumer.fetch(0, "a");
        consumer.fetch(1, "a");
        await().atMost(Duration.ofSeconds(5)).until(() -> consumer.started.size() == 1);
        consumer.ends.get(0).accept(RoundEnd.retryAfter(Duration.ofSeconds(1)));
        circuit.callFailed(1, new SystemicIvvyFailure("iVvy 463", null));
        consumer.dispatcher.close(List.of(TP));
        consumer.dispatcher.forget(List.of(TP));
        retries.forEach(Runnable::run);
        assertThat(gate.heldRounds()).isZero();
        assertThat(consumer.dispatcher.recordsInMemory()).isZero();
        assertThat(consumer.started).hasSize(1);
    }

    private void fireProbeTimer() {
        List<Runnable> due = List.copyOf(probeTimer);
        probeTimer.clear();
        due.forEach(Runnable::run);
    }

    /** One consumer's dispatcher, its worker pool, and the rounds it started (never ending unless a test ends them). */
    private final class Consumer {

        private final ExecutorService workers = Executors.newFixedThreadPool(2);
        private final List<InputRecord> started = new CopyOnWriteArrayList<>();
        private final List<java.util.function.Consumer<RoundEnd>> ends = new CopyOnWriteArrayList<>();
        private final RecordDispatcher dispatcher;

        Consumer() {
            this((delay, task) -> { });
        }

        Consumer(DelayedStart delayed) {
            pools.add(workers);
            dispatcher = new RecordDispatcher(
                    record -> new String(record.record().value(), StandardCharsets.UTF_8), gate,
                    (record, ended) -> {
                        started.add(record);
                        ends.add(ended);
                    }, workers, delayed, ProcessingGuarantee.atLeastOnce(Duration.ofSeconds(1)));
        }

        void fetch(long offset, String key) {
            dispatcher.fetched(new ConsumerRecord<>(TP.topic(), TP.partition(), offset, null,
                    key.getBytes(StandardCharsets.UTF_8)));
        }

        /** As the fetch loop's stop and KeyedKafkaConsumer.doStop do it. */
        void stop() {
            dispatcher.close(dispatcher.assignedPartitions());
            dispatcher.forget(dispatcher.assignedPartitions());
            workers.shutdownNow();
        }
    }
}
