package dev.ivvycontact.pipeline.consumer;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of the contact-ids consumer: UP while its Kafka client holds a connection to the cluster. */
final class ContactIdsHealthCheck extends AbstractHealthCheck {

    private final ContactIdsConsumer consumer;

    ContactIdsHealthCheck(ContactIdsConsumer consumer) {
        super("pipeline", "kafka-consumer");
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        // A broker outage is not cured by a restart: the consumer reconnects by itself.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("topic", consumer.topic());
        builder.detail("assignedPartitions", consumer.assignedPartitions());
        builder.detail("bufferedRecords", consumer.bufferedRecords());
        builder.detail("lookupsInFlight", consumer.lookupsInFlight());
        builder.detail("lookupsHeldByCircuit", consumer.lookupsHeld());
        builder.detail("fetchingPaused", consumer.fetchingPaused());
        if (consumer.kafkaConnected()) {
            builder.up();
        } else {
            builder.message("no connection to Kafka");
            builder.down();
        }
    }
}
