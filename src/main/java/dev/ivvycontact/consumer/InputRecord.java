package dev.ivvycontact.consumer;

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
    /** A {@link java.time.Duration} the route sets on a failed round: how long until the record's next round. */
    public static final String RETRY_DELAY = "keyedKafka.retryDelay";

    private final ConsumerRecord<byte[], byte[]> record;
    private final AssignedPartition partition;
    private volatile Object attachment;
    private volatile String key;

    InputRecord(ConsumerRecord<byte[], byte[]> record, AssignedPartition partition) {
        this.record = record;
        this.partition = partition;
    }

    public static InputRecord of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, InputRecord.class);
    }

    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    public void attach(Object value) {
        attachment = value;
    }

    public <T> T attachment(Class<T> type) {
        return type.cast(attachment);
    }

    /**
     * Called right before the round publishes anything (outputs or a dead letter): fails once the partition has been
     * taken from this instance, so that after a revocation only the new owner publishes its records.
     */
    public void claimPublishing() throws PartitionRevokedException {
        if (!partition.lease().mayPublish()) {
            throw new PartitionRevokedException(partition.partition());
        }
    }

    AssignedPartition partition() {
        return partition;
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
