package dev.ivvycontact.pipeline;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Settings of the module's raw Kafka clients, on top of the common ones (bootstrap servers, pass-through security). */
public final class ByteClients {

    private ByteClients() {
    }

    /**
     * Acknowledged by every in-sync replica, written once per send. {@code maxRequestSize} is the same as the outputs'
     * producer's (KAFKA_MAX_REQUEST_SIZE): a dead letter or a replay carries a whole input value, and the broker's
     * limit, not this client's, should decide what fits.
     */
    public static Properties reliableProducer(Properties common, int maxRequestSize) {
        Properties props = new Properties();
        props.putAll(common);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestSize));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Commits only when told to. */
    public static Properties manualCommitConsumer(Properties common) {
        Properties props = new Properties();
        props.putAll(common);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
