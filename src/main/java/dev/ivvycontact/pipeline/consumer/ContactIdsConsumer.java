package dev.ivvycontact.pipeline.consumer;

import dev.ivvycontact.client.IvvyCircuit;
import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.ByteClients;
import dev.ivvycontact.pipeline.LookupExchange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll thread owns the KafkaConsumer; lookups run on a worker pool, at most {@code maxInFlight} at once and
 * one at a time per contact id. A record counts as finished only when its route completed without an exception,
 * i.e. when every output (or its dead letter) was acknowledged by Kafka. A record whose route failed is kept and
 * tried again, holding back the later records of its contact: after a backoff (Kafka refusing a write), or, when
 * iVvy is down for everyone, as soon as the iVvy circuit lets it through again.
 */
final class ContactIdsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ContactIdsConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long RESTART_BACKOFF_MS = 2000;
    private static final long FIRST_RETRY_BACKOFF_MS = 500;
    private static final long METRICS_INTERVAL_MS = 1000;

    private final ContactIdsEndpoint endpoint;
    private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Semaphore inFlight;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    private volatile boolean paused;
    private boolean backlogFull;
    private volatile boolean kafkaConnected;
    private volatile double consumerLag;
    private ContactIdsHealthCheck healthCheck;
    private long lastCommitAt;
    private long lastMetricsReadAt;
    private ExecutorService pollThread;
    private ExecutorService workers;
    private ScheduledExecutorService retryTimer;
    private KeyedSequencer sequencer;
    private CircuitGate gate;

    ContactIdsConsumer(ContactIdsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.inFlight = new Semaphore(endpoint.getMaxInFlight());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ExecutorServiceManager threads = endpoint.getCamelContext().getExecutorServiceManager();
        workers = threads.newFixedThreadPool(this, "contact-lookup", endpoint.getMaxInFlight());
        retryTimer = threads.newSingleThreadScheduledExecutor(this, "contact-lookup-retry");
        pollThread = threads.newSingleThreadExecutor(this, "contact-ids-poll");
        gate = new CircuitGate(workers, endpoint.getComponent().circuit(), retryTimer);
        sequencer = new KeyedSequencer(gate);
        registerHealthAndMetrics();
        running = true;
        pollThread.execute(this::pollUntilStopped);
    }

    private void registerHealthAndMetrics() {
        healthCheck = new ContactIdsHealthCheck(this);
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.register(healthCheck);
        }
        PipelineMetrics metrics = endpoint.getComponent().metrics();
        metrics.gauge("pipeline.lookups.in.flight", "lookups running now", this::lookupsInFlight);
        metrics.gauge("pipeline.buffered.records", "records fetched and not yet finished", this::bufferedRecords);
        metrics.gauge("pipeline.consumer.lag", "the largest lag of an assigned input partition, in records",
                () -> consumerLag);
        metrics.gauge("pipeline.fetching.paused", "1 while fetching is paused for backpressure", () -> paused ? 1 : 0);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        KafkaConsumer<byte[], byte[]> current = kafka;
        if (current != null) {
            current.wakeup();
        }
        ExecutorServiceManager threads = endpoint.getCamelContext().getExecutorServiceManager();
        threads.shutdown(pollThread);
        pollThread.awaitTermination(endpoint.getDrainTimeoutMs() + 10_000, TimeUnit.MILLISECONDS);
        threads.shutdownNow(retryTimer);
        threads.shutdownNow(workers);
        HealthCheckRegistry registry = HealthCheckRegistry.get(endpoint.getCamelContext());
        if (registry != null) {
            registry.unregister(healthCheck);
        }
        super.doStop();
    }

    String topic() {
        return endpoint.getTopic();
    }

    /** Number of records fetched and not yet finished: the in-memory backlog. */
    int bufferedRecords() {
        return buffered.get();
    }

    int lookupsInFlight() {
        return endpoint.getMaxInFlight() - inFlight.availablePermits();
    }

    int lookupsHeld() {
        return gate.heldLookups();
    }

    int assignedPartitions() {
        return partitions.size();
    }

    boolean fetchingPaused() {
        return paused;
    }

    boolean kafkaConnected() {
        return kafkaConnected;
    }

    private void pollUntilStopped() {
        while (running) {
            try {
                consume();
            } catch (Exception e) {
                LOG.error("The Kafka consumer of {} failed; restarting it in {} ms: {}", endpoint.getTopic(),
                        RESTART_BACKOFF_MS, e.toString());
                sleepQuietly(RESTART_BACKOFF_MS);
            }
        }
    }

    private void consume() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            kafka = consumer;
            consumer.subscribe(List.of(endpoint.getTopic()), new Rebalance(consumer));
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                        accept(record);
                    }
                } catch (WakeupException stopping) {
                    break;
                }
                applyBackpressure(consumer);
                commitIfDue(consumer);
                if (System.currentTimeMillis() - lastMetricsReadAt >= METRICS_INTERVAL_MS) {
                    lastMetricsReadAt = System.currentTimeMillis();
                    readClientMetrics(consumer);
                }
            }
            release(List.copyOf(partitions.keySet()), consumer);
        } finally {
            kafka = null;
            kafkaConnected = false;
            partitions.values().forEach(PartitionProgress::revoke);
            partitions.clear();
        }
    }

    /** The consumer is single-threaded: its metrics are read here, on the poll thread, for health and gauges. */
    private void readClientMetrics(KafkaConsumer<byte[], byte[]> consumer) {
        double connections = 0;
        double lag = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("connection-count") && name.group().equals("consumer-metrics")) {
                connections = value(metric.getValue());
            } else if (name.name().equals("records-lag-max") && name.tags().get("topic") == null) {
                lag = Math.max(lag, value(metric.getValue()));
            }
        }
        kafkaConnected = connections > 0;
        consumerLag = lag;
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        return value instanceof Number number && !Double.isNaN(number.doubleValue()) ? number.doubleValue() : 0;
    }

    private Properties consumerProperties() {
        Properties props = ByteClients.manualCommitConsumer(endpoint.getComponent().kafkaProperties());
        // A new group starts from the beginning, so ids produced before the first start are not lost.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionProgress progress = partitions.get(tp);
        progress.fetched(record.offset());
        buffered.incrementAndGet();
        Lookup lookup = new Lookup(record, progress, correlationId(record));
        sequencer.submit(lookup.key, lookup);
    }

    /**
     * Fetching pauses while the backlog is full (until half of it has finished) and while the iVvy circuit is open;
     * polling goes on meanwhile, so the group membership holds.
     */
    private void applyBackpressure(KafkaConsumer<byte[], byte[]> consumer) {
        int backlog = buffered.get();
        if (!backlogFull && backlog >= endpoint.getMaxBufferedRecords()) {
            backlogFull = true;
        } else if (backlogFull && backlog <= endpoint.getMaxBufferedRecords() / 2) {
            backlogFull = false;
        }
        boolean pause = backlogFull || endpoint.getComponent().circuit().state() == IvvyCircuit.State.OPEN;
        if (pause) {
            consumer.pause(consumer.assignment());
        } else if (paused) {
            consumer.resume(consumer.assignment());
        }
        if (pause != paused) {
            LOG.debug("{} fetching: {} records buffered", pause ? "Pausing" : "Resuming", backlog);
        }
        paused = pause;
    }

    /** Commits, without waiting, each partition up to its lowest unfinished record, once per commit interval. */
    private void commitIfDue(KafkaConsumer<byte[], byte[]> consumer) {
        long at = System.currentTimeMillis();
        if (at - lastCommitAt < endpoint.getCommitIntervalMs()) {
            return;
        }
        lastCommitAt = at;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((tp, progress) -> {
            long candidate = progress.commitCandidate();
            if (candidate >= 0) {
                offsets.put(tp, new OffsetAndMetadata(candidate));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (done, failure) -> {
                if (failure != null) {
                    LOG.warn("Committing offsets failed (they will be committed again): {}", failure.toString());
                } else {
                    markCommitted(done);
                }
            });
        }
    }

    /**
     * Gives partitions up (revoked, or we are stopping): no lookup of theirs starts any more, those started may finish
     * within the drain timeout, what is done is committed, and the rest is left to be read again.
     */
    private void release(Collection<TopicPartition> released, KafkaConsumer<byte[], byte[]> consumer) {
        released.forEach(tp -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null) {
                progress.revoke();
            }
        });
        drain(released);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : released) {
            PartitionProgress progress = partitions.remove(tp);
            long candidate = progress == null ? -1 : progress.commitCandidate();
            if (candidate >= 0) {
                offsets.put(tp, new OffsetAndMetadata(candidate));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
        }
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, offset) -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null) {
                progress.committed(offset.offset());
            }
        });
    }

    /** Waits, within the drain timeout, for started lookups of these partitions to finish. */
    private void drain(Collection<TopicPartition> owned) {
        long deadline = System.currentTimeMillis() + endpoint.getDrainTimeoutMs();
        for (TopicPartition tp : owned) {
            PartitionProgress progress = partitions.get(tp);
            while (progress != null && !progress.idle() && System.currentTimeMillis() < deadline) {
                sleepQuietly(10);
            }
        }
    }

    private static String correlationId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(LookupExchange.HEADER_CORRELATION_ID);
        if (header != null && header.value() != null) {
            String value = new String(header.value(), StandardCharsets.UTF_8).strip();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return UUID.randomUUID().toString();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One input record's lookup; run again with backoff while its route fails without a dead letter. */
    private final class Lookup implements Runnable {

        private final ConsumerRecord<byte[], byte[]> record;
        private final PartitionProgress progress;
        private final String correlationId;
        private final String key;
        private final ContactLookupRequest request;
        private final DeadLetterException rejection;
        private int failures;

        Lookup(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress, String correlationId) {
            this.record = record;
            this.progress = progress;
            this.correlationId = correlationId;
            ContactLookupRequest parsed = null;
            DeadLetterException refused = null;
            try {
                parsed = endpoint.getComponent().parser().parse(record.value());
            } catch (DeadLetterException e) {
                refused = e;
            }
            this.request = parsed;
            this.rejection = refused;
            // Refused input has no contact to keep in order with: it runs on its own.
            this.key = parsed != null ? parsed.key() : "refused:" + record.partition() + "@" + record.offset();
        }

        @Override
        public void run() {
            if (!running || !progress.tryStart()) {
                abandon();
                return;
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                progress.stopped();
                abandon();
                return;
            }
            Exchange exchange = endpoint.createExchange();
            exchange.getMessage().setBody(request != null ? request : record.value());
            exchange.setProperty(LookupExchange.RECORD, record);
            exchange.setProperty(LookupExchange.REQUEST, request);
            exchange.setProperty(LookupExchange.REJECTION, rejection);
            exchange.setProperty(LookupExchange.CORRELATION_ID, correlationId);
            getAsyncProcessor().process(exchange, doneSync -> completed(exchange));
        }

        private void completed(Exchange exchange) {
            inFlight.release();
            progress.stopped();
            Exception failure = exchange.getException();
            if (failure == null) {
                endpoint.getComponent().metrics().lookupFinished(deadLettered(exchange) ? "dead_lettered" : "published");
                progress.finished(record.offset());
                buffered.decrementAndGet();
                sequencer.completed(key);
            } else if (!running || progress.revoked()) {
                abandon();
            } else if (failure instanceof SystemicIvvyFailure || failure instanceof TransientIvvyFailure) {
                // iVvy is down for everyone (a transient failure comes out unhandled only while the circuit is open):
                // the circuit, which logs it once, holds the record until iVvy answers again.
                endpoint.getComponent().metrics().lookupFinished("failed_will_retry");
                gate.execute(this);
            } else {
                endpoint.getComponent().metrics().lookupFinished("failed_will_retry");
                failures++;
                long backoff = Math.min(endpoint.getFailedRecordMaxBackoffMs(),
                        FIRST_RETRY_BACKOFF_MS << Math.min(failures - 1, 16));
                LOG.warn("Lookup of {}-{}@{} failed (attempt round {}), trying again in {} ms: {}", record.topic(),
                        record.partition(), record.offset(), failures, backoff, failure.getMessage());
                retryTimer.schedule(() -> gate.execute(this), backoff, TimeUnit.MILLISECONDS);
            }
        }

        /** A failure handled by the route's onException is a dead letter written. */
        private boolean deadLettered(Exchange exchange) {
            return exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null;
        }

        /** Leaves the record unfinished (its partition is gone or we are stopping): it will be read again. */
        private void abandon() {
            buffered.decrementAndGet();
            sequencer.completed(key);
        }
    }

    /** Keeps the progress map in step with the assignment; on revocation, drains and commits what is done. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final KafkaConsumer<byte[], byte[]> consumer;

        Rebalance(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            assigned.forEach(tp -> partitions.put(tp, new PartitionProgress()));
            if (paused) {
                consumer.pause(assigned);
            }
            LOG.info("Assigned {}", assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            release(revoked, consumer);
            LOG.info("Revoked {}", revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            lost.forEach(tp -> {
                PartitionProgress progress = partitions.remove(tp);
                if (progress != null) {
                    progress.revoke();
                }
            });
            LOG.warn("Lost {} without a clean revocation: their unfinished records will be read again", lost);
        }
    }
}
