package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.testsupport.KafkaTestBroker;
import dev.ivvycontact.testsupport.TestProducer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.health.HealthCheck;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fetch loop against a real broker, with faults put between it and its Kafka client (the client itself is real):
 * what a failure of the client does to the loop, to liveness and to the assignment it reports.
 */
class FetchLoopIT {

    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /**
     * Issue 17, item F: a metadata timeout in a rebalance callback threw out of poll() and restarted the client. The
     * callbacks now make no call to the cluster; the partition count, read between polls, reaches the listener.
     */
    @Test
    void aMetadataTimeoutNeverRestartsTheClientFromARebalanceCallback() throws Exception {
        String topic = topicWith(3, 30);
        AtomicInteger clientsMade = new AtomicInteger();
        AtomicInteger metadataCalls = new AtomicInteger();
        AtomicInteger lastCount = new AtomicInteger(-1);
        Harness harness = new Harness(topic, () -> {
            clientsMade.incrementAndGet();
            return faulty(client(), (name, args) -> name.equals("partitionsFor") && metadataCalls.incrementAndGet() <= 3
                    ? new TimeoutException("Timeout expired while fetching topic metadata") : null);
        }, (held, partitions, generation) -> lastCount.set(partitions));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> harness.finished.get() == 30);
            await().atMost(Duration.ofSeconds(10)).until(() -> lastCount.get() == 3);
            assertThat(clientsMade).as("one client, never restarted").hasValue(1);
        } finally {
            harness.stop();
        }
    }

    /**
     * Issue 17, item D: an Error on the poll thread ends it for good. It is logged, kept, and turns liveness DOWN so
     * that the process is restarted, instead of a live-looking pipeline that fetches nothing.
     */
    @Test
    void anErrorOnThePollThreadTurnsLivenessDown() throws Exception {
        String topic = topicWith(1, 5);
        AtomicInteger polls = new AtomicInteger();
        Harness harness = new Harness(topic, () -> faulty(client(),
                (name, args) -> name.equals("poll") && polls.incrementAndGet() == 20 ? new OutOfMemoryError("test") : null),
                (held, partitions, generation) -> { });
        PollThreadHealthCheck liveness = new PollThreadHealthCheck(topic, harness.loop::fatal);
        try {
            harness.thread.join(Duration.ofSeconds(30).toMillis());
            assertThat(harness.thread.isAlive()).as("the poll thread ended").isFalse();
            assertThat(harness.loop.fatal()).isInstanceOf(OutOfMemoryError.class);
            HealthCheck.Result result = liveness.call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("OutOfMemoryError: test"));
            assertThat(liveness.isLiveness()).isTrue();
            assertThat(liveness.isReadiness()).isFalse();
        } finally {
            harness.stop();
        }
    }

    private static String topicWith(int partitions, int records) {
        String topic = "fetch-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopics(partitions, List.of(topic));
        try (TestProducer producer = new TestProducer(broker.bootstrapServers())) {
            IntStream.range(0, records).forEach(i -> producer.send(topic, null, Integer.toString(i)));
        }
        return topic;
    }

    private static Consumer<byte[], byte[]> client() {
        Properties props = new Properties();
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "fetch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** What to throw instead of calling the client's method, or null to call it. */
    @FunctionalInterface
    private interface Fault {
        Throwable instead(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static Consumer<byte[], byte[]> faulty(Consumer<byte[], byte[]> real, Fault fault) {
        InvocationHandler handler = (proxy, method, args) -> {
            Throwable failure = fault.instead(method.getName(), args);
            if (failure != null) {
                throw failure;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(FetchLoopIT.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, handler);
    }

    /** A fetch loop on its own thread whose rounds finish at once. */
    private static final class Harness {

        private final AtomicInteger finished = new AtomicInteger();
        private final FetchLoop loop;
        private final Thread thread;

        Harness(String topic, java.util.function.Supplier<Consumer<byte[], byte[]>> clients, AssignmentListener listener) {
            ProcessingGuarantee guarantee = ProcessingGuarantee.atLeastOnce(Duration.ofMillis(200));
            RecordDispatcher dispatcher = new RecordDispatcher(record -> null, RecordGate.OPEN, (record, ended) -> {
                finished.incrementAndGet();
                ended.accept(RoundEnd.FINISHED);
            }, Runnable::run, (delay, task) -> { }, guarantee);
            loop = new FetchLoop(topic, clients, dispatcher, listener, MonotonicClock.SYSTEM,
                    new Backpressure(100, 1 << 20, 25, 1 << 18), guarantee, Duration.ofSeconds(5));
            thread = new Thread(loop, "fetch-loop-it");
            thread.start();
        }

        void stop() throws InterruptedException {
            loop.stop();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }
}
