package dev.ivvycontact.deadletter;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.PartitionRevokedException;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.TraceLogContext;
import dev.ivvycontact.pipeline.KafkaPublishFailures;
import dev.ivvycontact.pipeline.LookupExchange;
import dev.ivvycontact.pipeline.LookupState;
import dev.ivvycontact.resilience.Backoff;
import io.opentelemetry.api.trace.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the dead letter {@link dev.ivvycontact.pipeline.LookupFailures} decided on for the exchange's input record,
 * completing the exchange once Kafka has acknowledged it. It never fails the exchange (it runs in the route's error
 * handling, where a failure would only reach Camel's fatal fallback): a dead letter Kafka refuses for now is written
 * again after the backoff; one it refuses for good (size limit, topic missing, no WRITE) is written again every
 * {@link DeadLetterRefusals#retryEvery()}, with one error line and the health check dead-letters DOWN until Kafka takes one. Either way the
 * record stays unfinished, so its offset is not committed past, and iVvy is not called again for it.
 * It uses the Kafka client directly rather than camel-kafka because Camel's header map is single-valued and
 * case-insensitive, and a dead letter must carry the input's headers exactly as they were.
 */
public final class DeadLetterPublisher extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String topic;
    private final Clock clock;
    private final KafkaPublishFailures publishFailures;
    private final DeadLetterRefusals refusals;
    private final Backoff backoff;
    private final PipelineMetrics metrics;
    private final LookupTracing tracing;
    private Producer<byte[], byte[]> producer;

    /** {@code producers}: the producer to send with, made at each start (see OutputProducers). */
    public DeadLetterPublisher(Supplier<Producer<byte[], byte[]>> producers, String topic, Clock clock,
                               KafkaPublishFailures publishFailures, DeadLetterRefusals refusals, Backoff backoff,
                               PipelineMetrics metrics, LookupTracing tracing) {
        this.producers = producers;
        this.topic = topic;
        this.clock = clock;
        this.publishFailures = publishFailures;
        this.refusals = refusals;
        this.backoff = backoff;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    protected void doStart() {
        producer = producers.get();
    }

    @Override
    protected void doStop() {
        if (producer != null) {
            producer.close(); // a dead letter sent after this fails at once, and is written again after a restart
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        InputRecord record = InputRecord.of(exchange);
        if (record != null) {
            try {
                record.claimPublishing(); // exactly once: joins the output transaction
            } catch (PartitionRevokedException revoked) {
                InputRecord.runAgainAfter(exchange, Duration.ZERO); // its partition's new owner writes it
                callback.done(true);
                return true;
            }
        }
        LookupState state = LookupExchange.state(exchange);
        DeadLetterException decided = LookupExchange.deadLetter(exchange);
        ConsumerRecord<byte[], byte[]> input = state.record();
        Span publish = tracing.startPublish(state.traceContext(), topic);
        publish.setAttribute("pipeline.dlt.reason", decided.reason().name());
        try {
            ProducerRecord<byte[], byte[]> deadLetter = DeadLetter.of(input, topic, decided.reason(),
                    decided.getMessage(), state.attempts(), decided.ivvyError(), clock.instant(),
                    LookupTracing.headersOf(publish));
            producer.send(deadLetter, (metadata, failure) -> {
                try (TraceLogContext ignored = state.logContext()) {
                    if (failure != null) {
                        notWritten(exchange, state, publish, failure);
                    } else {
                        written(state, decided, deadLetter, publish);
                    }
                }
                callback.done(false);
            });
            return false;
        } catch (RuntimeException failure) { // a send that throws at once: a closed producer, a full buffer
            try (TraceLogContext ignored = state.logContext()) {
                notWritten(exchange, state, publish, failure);
            }
            callback.done(true);
            return true;
        }
    }

    private void written(LookupState state, DeadLetterException decided, ProducerRecord<byte[], byte[]> deadLetter,
                         Span publish) {
        publish.end();
        state.ended("dead_lettered");
        metrics.deadLettered(decided.reason().name());
        metrics.lookupFinished("dead_lettered");
        ConsumerRecord<byte[], byte[]> input = state.record();
        LOG.info("Dead-lettered {}-{}@{}: {} ({})", input.topic(), input.partition(), input.offset(), decided.reason(),
                new String(deadLetter.headers().lastHeader(DeadLetterHeaders.ERROR).value(), UTF_8));
        if (refusals.written()) {
            LOG.info("Kafka takes dead letters again: {} is written", topic);
        }
    }

    private void notWritten(Exchange exchange, LookupState state, Span publish, Throwable failure) {
        LookupTracing.endFailed(publish, failure);
        ConsumerRecord<byte[], byte[]> input = state.record();
        Optional<String> permanent = publishFailures.permanent(failure, List.of(topic));
        Duration next;
        if (permanent.isPresent()) {
            next = refusals.retryEvery();
            if (refusals.refused(permanent.get())) {
                LOG.error("Dead letters can't be written to {}: {}. {}-{}@{} stays unfinished (the partition's commit "
                                + "waits at it) and is tried again every {} s; the health check dead-letters is DOWN until Kafka takes one "
                                + "(see README, Failure model)", topic, permanent.get(), input.topic(),
                        input.partition(), input.offset(), next.toSeconds());
            } else {
                LOG.debug("The dead letter of {}-{}@{} is still refused: {}", input.topic(), input.partition(),
                        input.offset(), permanent.get());
            }
        } else {
            next = backoff.delay(Math.max(1, state.failedRounds()));
            LOG.warn("The dead letter of {}-{}@{} could not be written (tried again in {} ms): {}", input.topic(),
                    input.partition(), input.offset(), next.toMillis(), failure.toString());
        }
        InputRecord.runAgainAfter(exchange, next);
    }
}
