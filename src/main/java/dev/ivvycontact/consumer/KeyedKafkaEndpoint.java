package dev.ivvycontact.consumer;

import java.time.Duration;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** A topic to consume, and the bounds on the work in flight and in memory. Every option is declared here, once. */
@UriEndpoint(scheme = "keyed-kafka", title = "Keyed Kafka", syntax = "keyed-kafka:topic", consumerOnly = true,
        category = Category.MESSAGING)
public final class KeyedKafkaEndpoint extends DefaultEndpoint {

    @UriPath(description = "The topic to consume")
    @Metadata(required = true)
    private final String topic;

    @UriParam(defaultValue = "32", description = "Rounds running at once, each on its own worker thread. A round holds "
            + "its worker only while it works (a remote call, preparing its outputs), not while Kafka acknowledges "
            + "them, so this bounds the concurrent remote calls.")
    private int maxInFlight = 32;

    @UriParam(defaultValue = "1000", description = "Records fetched and not yet finished, at most; fetching pauses "
            + "(polling goes on) before a poll could pass it, until half of them are done. One poll takes a quarter.")
    private int maxBufferedRecords = 1000;

    @UriParam(defaultValue = "67108864", description = "Bytes (keys and values) of the records fetched and not yet "
            + "finished, at most, as for maxBufferedRecords. The Kafka client's own fetch buffer adds up to a quarter "
            + "of it (its fetch.max.bytes).")
    private long maxBufferedBytes = 64L * 1024 * 1024;

    /** The commit interval's default (at least once). */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    @UriParam(defaultValue = "1000", description = "How often each partition's safe offset is committed, in ms, "
            + "under the default processing guarantee (at least once).")
    private long commitIntervalMs = DEFAULT_COMMIT_INTERVAL.toMillis();

    @UriParam(description = "How rounds publish and offsets are committed: an ExactlyOnce (outputs and offsets in "
            + "Kafka transactions, committed on its own interval). Default: at least once, the consumer committing "
            + "every commitIntervalMs.")
    private ProcessingGuarantee processingGuarantee;

    /** The drain's default, in ms (a Kubernetes grace period is sized from it). */
    public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

    @UriParam(defaultValue = "30000", description = "On a revocation, how long the rounds already running may take to "
            + "finish; on a stop, how long everything in memory may take. What is not done by then is read again after "
            + "a restart or by the next owner. In ms.")
    private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;

    @UriParam(defaultValue = "1000", description = "The delay before a failed round runs again when the route did not "
            + "set one (exchange property " + InputRecord.RETRY_DELAY + "), in ms.")
    private long retryDelayMs = 1000;

    @UriParam(description = "Which records keep their order (one at a time per key) and pass the gate.")
    @Metadata(required = true)
    private RecordKeys keys;

    @UriParam(description = "Holds the rounds of keyed records while the service they call is down. Default: never holds.")
    private RecordGate gate = RecordGate.OPEN;

    @UriParam(description = "Told of each consumer's statistics when it starts (e.g. to make gauges).")
    private ConsumerStatistics.Listener statisticsListener;

    @UriParam(description = "Told whenever the partitions held change (e.g. to share a budget across the group).")
    private AssignmentListener assignmentListener = (held, partitionsOfTopic, generation) -> { };

    KeyedKafkaEndpoint(String uri, KeyedKafkaComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (keys == null) {
            throw new IllegalArgumentException("keyed-kafka:" + topic + " needs the keys option");
        }
        KeyedKafkaConsumer consumer = new KeyedKafkaConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new RuntimeCamelException("keyed-kafka endpoints only consume; publish with the kafka component");
    }

    @Override
    public KeyedKafkaComponent getComponent() {
        return (KeyedKafkaComponent) super.getComponent();
    }

    public String getTopic() {
        return topic;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getMaxBufferedRecords() {
        return maxBufferedRecords;
    }

    public void setMaxBufferedRecords(int maxBufferedRecords) {
        this.maxBufferedRecords = maxBufferedRecords;
    }

    public long getMaxBufferedBytes() {
        return maxBufferedBytes;
    }

    public void setMaxBufferedBytes(long maxBufferedBytes) {
        this.maxBufferedBytes = maxBufferedBytes;
    }

    public long getCommitIntervalMs() {
        return commitIntervalMs;
    }

    public void setCommitIntervalMs(long commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
    }

    public ProcessingGuarantee getProcessingGuarantee() {
        return processingGuarantee;
    }

    public void setProcessingGuarantee(ProcessingGuarantee processingGuarantee) {
        this.processingGuarantee = processingGuarantee;
    }

    public long getDrainTimeoutMs() {
        return drainTimeoutMs;
    }

    public void setDrainTimeoutMs(long drainTimeoutMs) {
        this.drainTimeoutMs = drainTimeoutMs;
    }

    public long getRetryDelayMs() {
        return retryDelayMs;
    }

    public void setRetryDelayMs(long retryDelayMs) {
        this.retryDelayMs = retryDelayMs;
    }

    public RecordKeys getKeys() {
        return keys;
    }

    public void setKeys(RecordKeys keys) {
        this.keys = keys;
    }

    public RecordGate getGate() {
        return gate;
    }

    public void setGate(RecordGate gate) {
        this.gate = gate;
    }

    public ConsumerStatistics.Listener getStatisticsListener() {
        return statisticsListener;
    }

    public void setStatisticsListener(ConsumerStatistics.Listener statisticsListener) {
        this.statisticsListener = statisticsListener;
    }

    public AssignmentListener getAssignmentListener() {
        return assignmentListener;
    }

    public void setAssignmentListener(AssignmentListener assignmentListener) {
        this.assignmentListener = assignmentListener;
    }
}
