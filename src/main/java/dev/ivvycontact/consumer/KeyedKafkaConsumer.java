package dev.ivvycontact.consumer;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Wires a {@link FetchLoop} (the Kafka client, on its own thread) to a {@link RecordDispatcher} whose rounds are
 * exchanges through the route, run on {@code maxInFlight} worker threads. A round that ends with an exception is run
 * again after the delay the route put in {@link InputRecord#RETRY_DELAY}; one that ends without is finished.
 */
final class KeyedKafkaConsumer extends DefaultConsumer implements ConsumerStatistics {

    private final KeyedKafkaEndpoint endpoint;
    private ExecutorService pollThread;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService delays;
    private RecordDispatcher dispatcher;
    private FetchLoop fetchLoop;
    private KeyedKafkaHealthCheck healthCheck;

    KeyedKafkaConsumer(KeyedKafkaEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ExecutorServiceManager threads = endpoint.getCamelContext().getExecutorServiceManager();
        // maxInFlight threads, and a queue as long as needed: what waits in it is bounded by maxBufferedRecords.
        // (Camel's own pools hand off through a SynchronousQueue when given no queue size, rejecting when all are busy.)
        workers = new ThreadPoolExecutor(endpoint.getMaxInFlight(), endpoint.getMaxInFlight(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> threads.newThread("keyed-kafka-worker", task));
        delays = threads.newSingleThreadScheduledExecutor(this, "keyed-kafka-delay");
        dispatcher = new RecordDispatcher(endpoint.getKeys(), endpoint.getGate(), this::runRound, workers,
                (delay, task) -> delays.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
        fetchLoop = new FetchLoop(endpoint.getTopic(), this::newClient, dispatcher, endpoint.getAssignmentListener(),
                MonotonicClock.SYSTEM, endpoint.getMaxBufferedRecords(), Duration.ofMillis(endpoint.getCommitIntervalMs()),
                Duration.ofMillis(endpoint.getDrainTimeoutMs()));
        healthCheck = new KeyedKafkaHealthCheck(this);
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.register(healthCheck);
        }
        if (endpoint.getStatisticsListener() != null) {
            endpoint.getStatisticsListener().started(this);
        }
        pollThread = threads.newSingleThreadExecutor(this, "keyed-kafka-poll");
        pollThread.execute(fetchLoop);
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorServiceManager threads = endpoint.getCamelContext().getExecutorServiceManager();
        fetchLoop.stop();
        threads.shutdown(pollThread);
        // The loop ends within a poll: it lets what is in memory finish (up to the drain timeout), then commits.
        pollThread.awaitTermination(endpoint.getDrainTimeoutMs() + 15_000, TimeUnit.MILLISECONDS);
        threads.shutdownNow(delays);
        workers.shutdownNow();
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.unregister(healthCheck);
        }
        super.doStop();
    }

    /** One round: a new exchange through the route, carrying the record. */
    private void runRound(InputRecord record, Consumer<RoundEnd> ended) {
        Exchange exchange = createExchange(false);
        exchange.setProperty(InputRecord.PROPERTY, record);
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                RoundEnd end = exchange.getException() == null ? RoundEnd.FINISHED : RoundEnd.retryAfter(
                        exchange.getProperty(InputRecord.RETRY_DELAY, Duration.ofMillis(endpoint.getRetryDelayMs()),
                                Duration.class));
                releaseExchange(exchange, false);
                ended.accept(end);
            });
        } catch (RuntimeException e) {
            getExceptionHandler().handleException("A round of " + record + " failed to start", e);
            ended.accept(RoundEnd.retryAfter(Duration.ofMillis(endpoint.getRetryDelayMs())));
        }
    }

    private KafkaConsumer<byte[], byte[]> newClient() {
        Properties props = new Properties();
        props.putAll(endpoint.getComponent().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts from the beginning, so records produced before the first start are not lost.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One poll may not overshoot the bound on records in memory by more than the bound itself.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(
                Math.min(ConsumerConfig.DEFAULT_MAX_POLL_RECORDS, endpoint.getMaxBufferedRecords())));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public String topic() {
        return endpoint.getTopic();
    }

    @Override
    public int assignedPartitions() {
        return dispatcher.assignedPartitions().size();
    }

    @Override
    public int recordsInMemory() {
        return dispatcher.recordsInMemory();
    }

    @Override
    public int roundsRunning() {
        return workers.getActiveCount();
    }

    @Override
    public boolean fetchingPaused() {
        return fetchLoop.fetchingPaused();
    }

    @Override
    public boolean kafkaConnected() {
        return fetchLoop.connected();
    }

    @Override
    public double lag() {
        return fetchLoop.lag();
    }
}
