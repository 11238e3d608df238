package dev.ivvycontact.consumer;

import org.apache.kafka.common.TopicPartition;

/** The record's partition was taken from this instance: its new owner publishes the record, this one must not. */
public final class PartitionRevokedException extends Exception {

    public PartitionRevokedException(TopicPartition partition) {
        super(partition + " is no longer assigned to this instance", null, false, false);
    }
}
