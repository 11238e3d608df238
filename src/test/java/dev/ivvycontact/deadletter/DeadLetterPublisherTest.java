package dev.ivvycontact.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.ByteClients;
import dev.ivvycontact.pipeline.KafkaPublishFailures;
import dev.ivvycontact.pipeline.LookupExchange;
import dev.ivvycontact.pipeline.LookupState;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.testsupport.OpenSpans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

    private final OpenSpans open = new OpenSpans();
    private final LookupTracing tracing = new LookupTracing(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(open).build()).build(), "group", "http://ivvy");

    /**
     * Issue 19, item A: a send that throws at once (here the producer is closed, as when the context stops) ends the
     * dead letter's publish span, completes the exchange and leaves the record to run again; nothing is thrown into
     * the route's error handling.
     */
    @Test
    void aSendThatThrowsAtOnceEndsItsSpanAndTheRecordRunsAgain() {
        Properties client = new Properties();
        client.put("bootstrap.servers", "127.0.0.1:1");
        DeadLetterPublisher publisher = new DeadLetterPublisher(
                () -> new KafkaProducer<>(ByteClients.reliableProducer(client, 1 << 20)), "dlt", Clock.systemUTC(),
                new KafkaPublishFailures(Set::of), new DeadLetterRefusals(Duration.ofSeconds(30), MonotonicClock.SYSTEM),
                Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30)),
                new PipelineMetrics(new SimpleMeterRegistry()), tracing);
        publisher.start();
        publisher.stop();

        ConsumerRecord<byte[], byte[]> input = new ConsumerRecord<>("in", 0, 7, null, "x".getBytes(StandardCharsets.UTF_8));
        DeadLetterException malformed = new DeadLetterException(DeadLetterReason.MALFORMED_MESSAGE, "not an id");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(LookupExchange.STATE, LookupState.refused(input, malformed, "c-1", tracing.startLookup(input)));
        exchange.setProperty(LookupExchange.DEAD_LETTER, malformed);
        AtomicBoolean done = new AtomicBoolean();

        publisher.process(exchange, doneSync -> done.set(true));

        assertThat(done).isTrue();
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getProperty(InputRecord.RETRY_DELAY, Duration.class)).isPositive();
        assertThat(open.names()).as("the lookup goes on; its dead letter's publish span has ended")
                .containsExactly("in process");
    }
}
