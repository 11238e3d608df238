package dev.ivvycontact.consumer;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fetched record for as long as it is in memory, across all its rounds (a round is one exchange through the
 * route: retries and held rounds are new exchanges of the same record). What the route keeps between rounds (parsed
 * input, attempts, a trace) lives in its {@link #attach attachment}.
 */
public final class InputRecord {

    /** The exchange property that carries the record to the route. */
    public static final String PROPERTY = "keyedKafka.inputRecord";
    /**
     * A {@link Duration} the route sets on a round that did not finish its record (see {@link #runAgainAfter}): how
     * long until the record's next round. A round that ends with an exception is not finished either.
     */
    public static final String RETRY_DELAY = "keyedKafka.retryDelay";

    private final ConsumerRecord<byte[], byte[]> record;
    private final AssignedPartition partition;
    private final ProcessingGuarantee guarantee;
    private volatile Object attachment;
    private volatile String key;
    private volatile boolean joined;

    InputRecord(ConsumerRecord<byte[], byte[]> record, AssignedPartition partition, ProcessingGuarantee guarantee) {
        this.record = record;
        this.partition = partition;
        this.guarantee = guarantee;
    }

    public static InputRecord of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, InputRecord.class);
    }

    /** The exchange's round ends without finishing its record, which runs again after {@code delay}. */
    public static void runAgainAfter(Exchange exchange, Duration delay) {
        exchange.setProperty(RETRY_DELAY, delay);
    }

    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** Keeps what the route learned of the record, for its later rounds (and a rewind: see {@link AssignedPartition}). */
    public void attach(Object value) {
        attachment = value;
        partition.attachments().put(record.offset(), value);
    }

    public <T> T attachment(Class<T> type) {
        return type.cast(attachment);
    }

    /**
     * Called right before the round publishes anything (outputs or a dead letter): fails once the partition has been
     * taken from this instance, so that after a revocation only the new owner publishes its records. Under
     * {@link ExactlyOnce} the round joins the open transaction here (waiting while one commits).
     */
    public void claimPublishing() throws PartitionRevokedException {
        guarantee.join(this);
    }

    /** The same as {@link #claimPublishing()}, as a question: false once the partition has been taken away. */
    public boolean mayPublish() {
        return partition.lease().mayPublish();
    }

    AssignedPartition partition() {
        return partition;
    }

    /** Has the current round joined a transaction ({@link ExactlyOnce})? */
    boolean joined() {
        return joined;
    }

    void joined(boolean inTransaction) {
        joined = inTransaction;
    }

    String key() {
        return key;
    }

    void key(String orderingKey) {
        key = orderingKey;
    }

    @Override
    public String toString() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
