package dev.ivvycontact.consumer;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code keyed-kafka:TOPIC}: consumes a Kafka topic with many records in flight at once, one at a time per key, and
 * commits each partition only up to its lowest unfinished record. camel-kafka's consumer runs one record at a time
 * per partition, which caps a partition at 1/latency records per second when each record waits on a remote call.
 */
public final class KeyedKafkaComponent extends DefaultComponent {

    private final Properties kafkaProperties;

    /** {@code kafkaProperties}: bootstrap servers, group id and any other consumer setting. */
    public KeyedKafkaComponent(Properties kafkaProperties) {
        this.kafkaProperties = kafkaProperties;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        KeyedKafkaEndpoint endpoint = new KeyedKafkaEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    Properties kafkaProperties() {
        return kafkaProperties;
    }
}
