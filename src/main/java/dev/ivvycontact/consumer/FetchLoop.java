package dev.ivvycontact.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread: the only user of the Kafka consumer. It hands fetched records to the {@link RecordDispatcher},
 * pauses fetching while too many records are in memory, and commits what is safe every interval. On a revocation it
 * lets the rounds already running finish (up to the drain timeout), commits and lets the partitions go; on the stop it
 * first fetches nothing more and lets everything in memory finish, so that a clean stop repeats nothing after a
 * restart. A failed client is closed and made anew after a pause; an Error (out of memory, say) ends the loop for good
 * and is kept, so that liveness turns DOWN and the process is restarted. Stopping is a flag read between polls, never
 * {@code wakeup()}, whose pending exception would otherwise break the final commit. The rebalance callbacks make no
 * call to the cluster: the topic's partition count is read between polls and cached.
 */
final class FetchLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FetchLoop.class);
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(2);
    private static final Duration METRICS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PARTITION_COUNT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LAST_COMMITS_TIMEOUT = Duration.ofSeconds(10);

    private final String topic;
    private final Supplier<Consumer<byte[], byte[]>> clients;
    private final RecordDispatcher dispatcher;
    private final AssignmentListener assignmentListener;
    private final MonotonicClock clock;
    private final Backpressure backpressure;
    private final ProcessingGuarantee guarantee;
    private final Duration drainTimeout;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile boolean connected;
    private volatile double lag;
    private volatile Throwable fatal;
    private int partitionCount;
    private boolean partitionCountStale = true;

    FetchLoop(String topic, Supplier<Consumer<byte[], byte[]>> clients, RecordDispatcher dispatcher,
              AssignmentListener assignmentListener, MonotonicClock clock, Backpressure backpressure,
              ProcessingGuarantee guarantee, Duration drainTimeout) {
        this.topic = topic;
        this.clients = clients;
        this.dispatcher = dispatcher;
        this.assignmentListener = assignmentListener;
        this.clock = clock;
        this.backpressure = backpressure;
        this.guarantee = guarantee;
        this.drainTimeout = drainTimeout;
    }

    @Override
    public void run() {
        while (running) {
            try {
                consume();
            } catch (Exception e) {
                LOG.error("The Kafka consumer of {} failed; making a new one in {} ms", topic, RESTART_PAUSE.toMillis(), e);
                pauseBeforeRestart();
            } catch (Error e) {
                fatal = e;
                LOG.error("The poll thread of {} ended: nothing more is fetched or committed until a restart", topic, e);
                throw e;
            }
        }
    }

    /** What ended the loop for good (an Error), or null while it runs or after a clean stop. */
    Throwable fatal() {
        return fatal;
    }

    /** Asks the loop to end: within one poll it releases every partition, committing what is done. */
    void stop() {
        running = false;
    }

    boolean fetchingPaused() {
        return paused;
    }

    boolean connected() {
        return connected;
    }

    /** The largest lag of a held partition, in records, as the client last reported it. */
    double lag() {
        return lag;
    }

    private void consume() {
        Consumer<byte[], byte[]> client = clients.get();
        try {
            guarantee.clientStarted();
            client.subscribe(List.of(topic), new Rebalance(client));
            Interval metrics = new Interval(clock, METRICS_INTERVAL);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : client.poll(guarantee.longestPoll())) {
                    dispatcher.fetched(record);
                }
                if (partitionCountStale) {
                    refreshPartitionCount(client);
                }
                applyBackpressure(client);
                if (guarantee.commitDue()) {
                    commit(client, false);
                }
                if (metrics.due()) {
                    readClientMetrics(client);
                }
            }
            long deadline = clock.nanoTime() + drainTimeout.toNanos();
            if (!dispatcher.awaitNothingInMemory(clock, deadline)) {
                LOG.warn("Stopping: {} records could not finish (held, or past the {} ms drain timeout); they will be "
                        + "read again", dispatcher.recordsInMemory(), drainTimeout.toMillis());
            }
            release(dispatcher.assignedPartitions(), client, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Whatever is still held can't be committed any more: let it go, to be read again.
            dispatcher.forget(dispatcher.assignedPartitions());
            assignmentListener.assignmentChanged(Set.of(), 0, -1);
            connected = false;
            paused = false;
            try {
                guarantee.clientClosing();
            } finally {
                client.close();
            }
        }
    }

    /** Fetching pauses before the next poll could pass a bound on memory ({@link Backpressure}); polling goes on. */
    private void applyBackpressure(Consumer<byte[], byte[]> client) {
        int records = dispatcher.recordsInMemory();
        long bytes = dispatcher.bytesInMemory();
        if (!paused && backpressure.mustPause(records, bytes)) {
            paused = true;
            client.pause(client.assignment());
        } else if (paused && backpressure.mayResume(records, bytes)) {
            paused = false;
            client.resume(client.assignment());
        }
    }

    /**
     * Reads how many partitions the topic has, between polls (never in a rebalance callback, where a metadata timeout
     * would throw out of poll() and restart the client); tried again after the next poll when the cluster can't say.
     * A changed count is passed on.
     */
    private void refreshPartitionCount(Consumer<byte[], byte[]> client) {
        try {
            int count = client.partitionsFor(topic, PARTITION_COUNT_TIMEOUT).size();
            partitionCountStale = false;
            if (count != partitionCount) {
                partitionCount = count;
                assignmentListener.assignmentChanged(dispatcher.assignedPartitions(), partitionCount,
                        client.groupMetadata().generationId());
            }
        } catch (KafkaException e) {
            LOG.debug("The partition count of {} is unknown for now: {}", topic, e.toString());
        }
    }

    /**
     * Commits what is finished; after an aborted transaction, every held partition is read again from its last
     * commit (the records still in memory keep what the route learned of them).
     */
    private void commit(Consumer<byte[], byte[]> client, boolean leaving) {
        guarantee.commit(client, dispatcher::commitPoints, dispatcher::committed, leaving, () -> {
            Map<TopicPartition, OffsetAndMetadata> restartPoints = dispatcher.rewind(dispatcher.assignedPartitions());
            restartPoints.forEach(client::seek);
            LOG.info("Reading {} again from their last commits", restartPoints.keySet());
        });
    }

    /**
     * Gives partitions up: nothing of theirs starts any more; the rounds already running may finish until the
     * deadline; then nothing more is published for them, what is done is committed, and the rest is left for the next
     * owner to read again.
     */
    private void release(Collection<TopicPartition> released, Consumer<byte[], byte[]> client, long deadlineNanos) {
        if (released.isEmpty()) {
            return;
        }
        dispatcher.close(released);
        try {
            if (!dispatcher.awaitIdle(released, clock, deadlineNanos)) {
                LOG.warn("Lookups of {} still running after the drain timeout ({} ms): they will be read again",
                        released, drainTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.revoke(released);
        commit(client, true);
        dispatcher.forget(released);
    }

    /**
     * Each partition's last commit, whose metadata says what is finished above it; none (all done again) when the
     * group coordinator can't say in time. Asked within the assignment callback (the consumer asks the same right
     * after it, to know where to fetch from); a failure is caught here, so it never restarts the client.
     */
    private Map<TopicPartition, OffsetAndMetadata> lastCommits(Consumer<byte[], byte[]> client,
                                                               Collection<TopicPartition> assigned) {
        try {
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            client.committed(Set.copyOf(assigned), LAST_COMMITS_TIMEOUT).forEach((tp, commit) -> {
                if (commit != null) {
                    commits.put(tp, commit);
                }
            });
            return commits;
        } catch (KafkaException e) {
            LOG.warn("The last commits of {} could not be read ({}): records finished above them are done again",
                    assigned, e.toString());
            return Map.of();
        }
    }

    /** The client's metrics, read here because the client is single-threaded: broker connection and lag. */
    private void readClientMetrics(Consumer<byte[], byte[]> client) {
        double connections = 0;
        double maxLag = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : client.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("connection-count") && name.group().equals("consumer-metrics")) {
                connections = value(metric.getValue());
            } else if (name.name().equals("records-lag-max") && name.tags().get("topic") == null) {
                maxLag = Math.max(maxLag, value(metric.getValue()));
            }
        }
        connected = connections > 0;
        lag = maxLag;
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        return value instanceof Number number && !Double.isNaN(number.doubleValue()) ? number.doubleValue() : 0;
    }

    private void pauseBeforeRestart() {
        long until = clock.nanoTime() + RESTART_PAUSE.toNanos();
        while (running && clock.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Keeps the dispatcher in step with the assignment. */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> client;

        Rebalance(Consumer<byte[], byte[]> client) {
            this.client = client;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            dispatcher.assigned(assigned, assigned.isEmpty() ? Map.of() : lastCommits(client, assigned));
            if (paused) {
                client.pause(assigned);
            }
            LOG.info("Assigned {}", assigned);
            assignmentChanged();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            release(revoked, client, clock.nanoTime() + drainTimeout.toNanos());
            LOG.info("Revoked {}", revoked);
            assignmentChanged();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another member may own them already: stop publishing for them at once; nothing can be committed.
            dispatcher.close(lost);
            dispatcher.forget(lost);
            guarantee.partitionsLost();
            LOG.warn("Lost {} without a clean revocation: their unfinished records will be read again", lost);
            assignmentChanged();
        }

        private void assignmentChanged() {
            partitionCountStale = true; // partitions may have been added: read again after this poll
            assignmentListener.assignmentChanged(dispatcher.assignedPartitions(), partitionCount,
                    client.groupMetadata().generationId());
        }
    }
}
