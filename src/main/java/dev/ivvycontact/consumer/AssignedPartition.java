package dev.ivvycontact.consumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition while this instance holds it: its unfinished offsets, its lease, and the attachments of its records in
 * memory (what the route learned of them), which outlive a rewind after an aborted transaction: a record read again
 * then resumes with them (a dead letter already decided is written, not decided again by a new lookup).
 */
record AssignedPartition(TopicPartition partition, OffsetTracker offsets, PartitionLease lease,
                         Map<Long, Object> attachments) {

    AssignedPartition(TopicPartition partition) {
        this(partition, new OffsetTracker(), new PartitionLease(), new ConcurrentHashMap<>());
    }
}
