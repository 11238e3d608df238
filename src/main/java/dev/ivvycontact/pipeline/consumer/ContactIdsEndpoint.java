package dev.ivvycontact.pipeline.consumer;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.DefaultEndpoint;

/** A contact-id topic to consume; the options bound the work in flight and in memory. */
public final class ContactIdsEndpoint extends DefaultEndpoint {

    private final String topic;
    private int maxInFlight = 32;
    private int maxBufferedRecords = 1000;
    private long commitIntervalMs = 1000;
    private long drainTimeoutMs = 30_000;
    private long failedRecordMaxBackoffMs = 30_000;

    ContactIdsEndpoint(String uri, ContactIdsComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ContactIdsConsumer consumer = new ContactIdsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new RuntimeCamelException("contact-ids endpoints only consume; publish with the kafka component");
    }

    @Override
    public ContactIdsComponent getComponent() {
        return (ContactIdsComponent) super.getComponent();
    }

    public String getTopic() {
        return topic;
    }

    /** Lookups running at once (calls to iVvy plus their outputs awaiting Kafka's acknowledgement). */
    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Records fetched but not finished; past this, fetching pauses until half have finished. */
    public int getMaxBufferedRecords() {
        return maxBufferedRecords;
    }

    public void setMaxBufferedRecords(int maxBufferedRecords) {
        this.maxBufferedRecords = maxBufferedRecords;
    }

    public long getCommitIntervalMs() {
        return commitIntervalMs;
    }

    public void setCommitIntervalMs(long commitIntervalMs) {
        this.commitIntervalMs = commitIntervalMs;
    }

    /** On stop or revocation, how long lookups already started may take to finish before the rest is left. */
    public long getDrainTimeoutMs() {
        return drainTimeoutMs;
    }

    public void setDrainTimeoutMs(long drainTimeoutMs) {
        this.drainTimeoutMs = drainTimeoutMs;
    }

    /** A record whose lookup failed without a dead letter is tried again after at most this long. */
    public long getFailedRecordMaxBackoffMs() {
        return failedRecordMaxBackoffMs;
    }

    public void setFailedRecordMaxBackoffMs(long failedRecordMaxBackoffMs) {
        this.failedRecordMaxBackoffMs = failedRecordMaxBackoffMs;
    }
}
