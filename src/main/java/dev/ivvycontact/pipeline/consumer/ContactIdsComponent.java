package dev.ivvycontact.pipeline.consumer;

import dev.ivvycontact.client.IvvyCircuit;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.InputMessageParser;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code contact-ids:TOPIC}: consumes contact ids from Kafka and runs their lookups in parallel, one at a time per
 * contact id, committing each partition only up to its lowest unfinished record. camel-kafka's consumer processes a
 * partition one record at a time, which caps throughput at 1/latency per consumer; this one does not.
 */
public final class ContactIdsComponent extends DefaultComponent {

    private final Properties kafkaProperties;
    private final InputMessageParser parser;
    private final PipelineMetrics metrics;
    private final IvvyCircuit circuit;

    /** {@code kafkaProperties}: bootstrap servers, group id and pass-through client settings. */
    public ContactIdsComponent(Properties kafkaProperties, InputMessageParser parser, PipelineMetrics metrics,
                               IvvyCircuit circuit) {
        this.kafkaProperties = kafkaProperties;
        this.parser = parser;
        this.metrics = metrics;
        this.circuit = circuit;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ContactIdsEndpoint endpoint = new ContactIdsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    Properties kafkaProperties() {
        return kafkaProperties;
    }

    InputMessageParser parser() {
        return parser;
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    IvvyCircuit circuit() {
        return circuit;
    }
}
