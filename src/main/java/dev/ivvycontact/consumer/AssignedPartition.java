package dev.ivvycontact.consumer;

import org.apache.kafka.common.TopicPartition;

/** One partition while this instance holds it: its unfinished offsets and its lease. */
record AssignedPartition(TopicPartition partition, OffsetTracker offsets, PartitionLease lease) {

    AssignedPartition(TopicPartition partition) {
        this(partition, new OffsetTracker(), new PartitionLease());
    }
}
