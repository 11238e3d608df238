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
 * exchanges through the route, run on {@code maxInFlight} worker threads. A round that ends with an exception, or
 * that the route marked {@link InputRecord#runAgainAfter}, is run again after that delay; any other is finished.
 */
final class KeyedKafkaConsumer extends DefaultConsumer implements ConsumerStatistics {

    private final KeyedKafkaEndpoint endpoint;
    private ExecutorService pollThread;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService delays;
    private RecordDispatcher dispatcher;
    private FetchLoop fetchLoop;
    private Properties clientProperties;
    private KeyedKafkaHealthCheck healthCheck;
    private PollThreadHealthCheck pollThreadCheck;

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
        clientProperties = clientProperties();
        ProcessingGuarantee guarantee = endpoint.getProcessingGuarantee() != null ? endpoint.getProcessingGuarantee()
                : ProcessingGuarantee.atLeastOnce(Duration.ofMillis(endpoint.getCommitIntervalMs()));
        dispatcher = new RecordDispatcher(endpoint.getKeys(), endpoint.getGate(), this::runRound, workers,
                (delay, task) -> delays.schedule(LoggedTask.of("A record's next round", task), delay.toMillis(),
                        TimeUnit.MILLISECONDS), guarantee);
        Backpressure backpressure = new Backpressure(endpoint.getMaxBufferedRecords(), endpoint.getMaxBufferedBytes(),
                Integer.parseInt(String.valueOf(clientProperties.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG))),
                Integer.parseInt(String.valueOf(clientProperties.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG))));
        fetchLoop = new FetchLoop(endpoint.getTopic(),
                () -> new KafkaConsumer<>(clientProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                dispatcher, endpoint.getAssignmentListener(), MonotonicClock.SYSTEM, backpressure, guarantee,
                Duration.ofMillis(endpoint.getDrainTimeoutMs()));
        healthCheck = new KeyedKafkaHealthCheck(this);
        pollThreadCheck = new PollThreadHealthCheck(endpoint.getTopic(), fetchLoop::fatal);
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.register(healthCheck);
            registry.register(pollThreadCheck);
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
        // Rounds still queued for a worker see their partition gone and let their record go: a probe among them
        // closes its pass, so the circuit, which outlives this consumer, probes again instead of waiting for it.
        workers.shutdownNow().forEach(Runnable::run);
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.unregister(healthCheck);
            registry.unregister(pollThreadCheck);
        }
        super.doStop();
    }

    /** One round: a new exchange through the route, carrying the record. */
    private void runRound(InputRecord record, Consumer<RoundEnd> ended) {
        Exchange exchange = createExchange(false);
        exchange.setProperty(InputRecord.PROPERTY, record);
        try {
            getAsyncProcessor().process(exchange, doneSync -> {
                Duration retryDelay = exchange.getProperty(InputRecord.RETRY_DELAY, Duration.class);
                RoundEnd end = exchange.getException() == null && retryDelay == null ? RoundEnd.FINISHED
                        : RoundEnd.retryAfter(retryDelay != null ? retryDelay : Duration.ofMillis(endpoint.getRetryDelayMs()));
                releaseExchange(exchange, false);
                ended.accept(end);
            });
        } catch (RuntimeException e) {
            getExceptionHandler().handleException("A round of " + record + " failed to start", e);
            ended.accept(RoundEnd.retryAfter(Duration.ofMillis(endpoint.getRetryDelayMs())));
        }
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(endpoint.getComponent().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts from the beginning, so records produced before the first start are not lost.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // What one poll may take, which fetching keeps room for under the bounds on memory (Backpressure).
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Integer.toString(Backpressure.pollRecordsFor(endpoint.getMaxBufferedRecords())));
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                Integer.toString(Backpressure.pollBytesFor(endpoint.getMaxBufferedBytes())));
        return props;
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
    public long bytesInMemory() {
        return dispatcher.bytesInMemory();
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
