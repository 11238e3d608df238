package dev.ivvycontact.consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The route step right before anything is published for a record (its outputs, or its dead letter): from here on
 * this instance publishes for the record only while it still holds the record's partition.
 */
public final class ClaimPublishing implements Processor {

    @Override
    public void process(Exchange exchange) throws PartitionRevokedException {
        InputRecord.of(exchange).claimPublishing();
    }
}
