package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.ExactlyOnce;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Properties;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

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

    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> transactional() {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "send" -> {
                        Producer<byte[], byte[]> current = exactlyOnce.producer();
                        if (current == null) {
                            throw new IllegalStateException("no output transaction: the Kafka consumer is restarting");
                        }
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
