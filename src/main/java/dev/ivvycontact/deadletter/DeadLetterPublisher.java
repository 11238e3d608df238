package dev.ivvycontact.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import io.opentelemetry.api.trace.Span;
import dev.ivvycontact.pipeline.ByteClients;
import dev.ivvycontact.pipeline.LookupExchange;
import dev.ivvycontact.pipeline.LookupState;
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
 * Writes the dead letter {@link dev.ivvycontact.pipeline.LookupFailures} decided on for the exchange's input record,
 * completing the exchange once Kafka has acknowledged it.
 * It uses the Kafka client directly rather than camel-kafka because Camel's header map is single-valued and
 * case-insensitive, and a dead letter must carry the input's headers exactly as they were.
 */
public final class DeadLetterPublisher extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Properties producerProperties;
    private final String topic;
    private final Clock clock;
    private final PipelineMetrics metrics;
    private final LookupTracing tracing;
    private Producer<byte[], byte[]> producer;

    /** {@code kafkaProperties}: bootstrap servers and pass-through client settings. */
    public DeadLetterPublisher(Properties kafkaProperties, int maxRequestSize, String topic, Clock clock,
                               PipelineMetrics metrics, LookupTracing tracing) {
        this.producerProperties = ByteClients.reliableProducer(kafkaProperties, maxRequestSize);
        this.topic = topic;
        this.clock = clock;
        this.metrics = metrics;
        this.tracing = tracing;
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
        LookupState state = LookupExchange.state(exchange);
        DeadLetterException decided = LookupExchange.deadLetter(exchange);
        ConsumerRecord<byte[], byte[]> input = state.record();
        Span publish = tracing.startPublish(state.traceContext(), topic);
        publish.setAttribute("pipeline.dlt.reason", decided.reason().name());
        ProducerRecord<byte[], byte[]> deadLetter = DeadLetter.of(input, topic, decided.reason(), decided.getMessage(),
                state.attempts(), decided.ivvyError(), clock.instant(), LookupTracing.headersOf(publish));
        producer.send(deadLetter, (metadata, failure) -> {
            if (failure != null) {
                LOG.warn("The dead letter of {}-{}@{} could not be written (tried again later): {}", input.topic(),
                        input.partition(), input.offset(), failure.toString());
                LookupTracing.endFailed(publish, failure);
                exchange.setException(failure);
            } else {
                publish.end();
                state.ended("dead_lettered");
                metrics.deadLettered(decided.reason().name());
                metrics.lookupFinished("dead_lettered");
                LOG.info("Dead-lettered {}-{}@{}: {} ({})", input.topic(), input.partition(), input.offset(),
                        decided.reason(), new String(deadLetter.headers().lastHeader(DeadLetterHeaders.ERROR).value(), UTF_8));
            }
            callback.done(false);
        });
        return false;
    }
}
