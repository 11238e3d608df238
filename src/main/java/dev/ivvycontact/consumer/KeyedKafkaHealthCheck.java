package dev.ivvycontact.consumer;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness of a keyed-kafka consumer: UP while its Kafka client holds a connection to the cluster. */
final class KeyedKafkaHealthCheck extends AbstractHealthCheck {

    private final ConsumerStatistics consumer;

    KeyedKafkaHealthCheck(ConsumerStatistics consumer) {
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
        builder.detail("recordsInMemory", consumer.recordsInMemory());
        builder.detail("bytesInMemory", consumer.bytesInMemory());
        builder.detail("roundsRunning", consumer.roundsRunning());
        builder.detail("fetchingPaused", consumer.fetchingPaused());
        if (consumer.kafkaConnected()) {
            builder.up();
        } else {
            builder.message("no connection to Kafka");
            builder.down();
        }
    }
}
