package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.ExactlyOnce;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Proxy;
import java.util.Properties;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The producers outputs and dead letters are sent with. At least once, each sender has an idempotent producer of its
 * own. Exactly once, all of them send through the one transactional producer of {@link ExactlyOnce}, whichever it is
 * now (a fenced one is replaced), and only while a transaction is open: the consumer owns that producer's life, so
 * closing the view given here closes nothing. Also camel-kafka's client factory for the route's outputs step.
 */
public final class OutputProducers extends DefaultKafkaClientFactory {

    private final ExactlyOnce exactlyOnce;

    /** {@code exactlyOnce}: null at least once. */
    public OutputProducers(ExactlyOnce exactlyOnce) {
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public Producer getProducer(Properties kafkaProps) {
        return exactlyOnce == null ? super.getProducer(kafkaProps) : transactional();
    }

    /** The dead letters' producer, with {@code properties} when it is one of its own. */
    public Producer<byte[], byte[]> deadLetters(Properties properties) {
        return exactlyOnce == null ? new KafkaProducer<>(properties) : transactional();
    }

    /** camel-kafka's keys are strings (its StringSerializer); the transactional producer's are bytes, as dead letters'. */
    private static ProducerRecord<?, ?> withBytesKey(ProducerRecord<?, ?> record) {
        if (!(record.key() instanceof String key)) {
            return record;
        }
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                key.getBytes(StandardCharsets.UTF_8), record.value(), record.headers());
    }

    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> transactional() {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "send" -> {
                        Producer<byte[], byte[]> current = exactlyOnce.producer();
                        if (current == null) {
                            throw new IllegalStateException("no output transaction: the Kafka consumer is restarting");
                        }
                        args[0] = withBytesKey((ProducerRecord<?, ?>) args[0]);
                        try {
                            yield method.invoke(current, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                    case "close" -> null;
                    case "toString" -> "the output transactions' producer";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName()
                            + ": the output transactions' producer only sends");
                });
    }
}
