package dev.ivvycontact.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.ByteClients;
import dev.ivvycontact.pipeline.LookupExchange;
import java.time.Clock;
import java.util.Properties;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the dead letter of the exchange's input record, completing the exchange once Kafka has acknowledged it.
 * It uses the Kafka client directly rather than camel-kafka because Camel's header map is single-valued and
 * case-insensitive, and a dead letter must carry the input's headers exactly as they were.
 */
public final class DeadLetterPublisher extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Properties producerProperties;
    private final String topic;
    private final Clock clock;
    private final PipelineMetrics metrics;
    private Producer<byte[], byte[]> producer;

    /** {@code kafkaProperties}: bootstrap servers and pass-through client settings. */
    public DeadLetterPublisher(Properties kafkaProperties, String topic, Clock clock, PipelineMetrics metrics) {
        this.producerProperties = ByteClients.reliableProducer(kafkaProperties);
        this.topic = topic;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    protected void doStart() {
        producer = new KafkaProducer<>(producerProperties);
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ConsumerRecord<byte[], byte[]> input = LookupExchange.record(exchange);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProducerRecord<byte[], byte[]> deadLetter;
        try {
            deadLetter = deadLetterFor(input, LookupExchange.attempts(exchange), cause);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        producer.send(deadLetter, (metadata, failure) -> {
            if (failure != null) {
                exchange.setException(failure);
            } else {
                String reason = new String(deadLetter.headers().lastHeader(DeadLetterHeaders.REASON).value(), UTF_8);
                metrics.deadLettered(reason);
                LOG.info("Dead-lettered {}-{}@{}: {} ({})", input.topic(), input.partition(), input.offset(), reason,
                        new String(deadLetter.headers().lastHeader(DeadLetterHeaders.ERROR).value(), UTF_8));
            }
            callback.done(false);
        });
        return false;
    }

    private ProducerRecord<byte[], byte[]> deadLetterFor(ConsumerRecord<byte[], byte[]> input, int attempts,
                                                         Throwable cause) {
        if (cause instanceof DeadLetterException rejected) {
            return DeadLetter.of(input, topic, rejected.reason(), rejected.getMessage(), attempts,
                    rejected.ivvyError(), clock.instant());
        }
        if (cause instanceof TransientIvvyFailure exhausted) {
            return DeadLetter.of(input, topic, DeadLetterReason.RETRIES_EXHAUSTED,
                    "gave up after " + attempts + " attempts, the last: " + exhausted.getMessage(), attempts,
                    exhausted.ivvyError(), clock.instant());
        }
        throw new IllegalStateException("no dead-letter reason for " + (cause == null ? "a missing exception" : cause));
    }
}
