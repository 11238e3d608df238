package dev.ivvycontact.observe;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.deadletter.DeadLetterReplayer;
import dev.ivvycontact.deadletter.ReplayRequest;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: W3C trace context through lookups, calls, retries, holds, publishing, dead letters and replay, seen in
 * the spans an in-memory exporter collects and in the headers of what lands on Kafka.
 */
class TracingIT extends PipelineTestBase {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();

    @AfterEach
    void noSpanAttributeHoldsTheKeyTheSecretOrASignature() {
        for (SpanData span : exporter.getFinishedSpanItems()) {
            span.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value)).as(span.getName() + " " + key)
                    .doesNotContain(IvvySandbox.API_SECRET).doesNotContain(IvvySandbox.API_KEY).doesNotContain("IWS "));
        }
        telemetry.close();
    }

    @Test
    void aLookupRetriedThreeTimesIsOneTraceUnderTheInputsContext() {
        sandbox.failFirst(5, 3, Fault.SERVER_ERROR);
        start();
        producer.send(TestProducer.record(topics.input(), bytes("5"), bytes("5"), Map.of("traceparent", TRACEPARENT)));

        SpanData lookup = awaitLookup(5, "published");
        assertThat(lookup.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(lookup.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(lookup.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(lookup.getName()).isEqualTo(topics.input() + " process");
        assertThat(lookup.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(topics.input());
        assertThat(lookup.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isZero();

        List<SpanData> calls = children(lookup, SpanKind.CLIENT);
        assertThat(calls).extracting(call -> call.getAttributes().get(LookupTracing.ATTEMPT)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(calls).extracting(call -> call.getAttributes().get(LookupTracing.STATUS)).containsExactly(500L, 500L, 500L, 200L);
        assertThat(calls).extracting(call -> call.getStatus().getStatusCode())
                .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
        assertThat(calls.get(0).getAttributes().get(LookupTracing.ERROR_CODE)).isEqualTo(500L);
        SpanData publish = only(children(lookup, SpanKind.PRODUCER));
        assertThat(publish.getName()).isEqualTo(topics.contacts() + " publish");

        int expected = 1 + SampleContacts.registrations(5) + SampleContacts.invoices(5) + SampleContacts.invitations(5);
        List<ConsumerRecord<byte[], byte[]>> outputs = outputs(expected);
        assertThat(outputs).hasSize(expected).allSatisfy(output ->
                assertThat(traceparents(output)).containsExactly("00-" + TRACE_ID + "-" + publish.getSpanId() + "-01"));
    }

    @Test
    void withoutATraceparentALookupStartsATraceThatItsOutputsCarry() {
        start();
        producer.send(topics.input(), "1", "1");
        SpanData lookup = awaitLookup(1, "published");
        assertThat(lookup.getParentSpanContext().isValid()).isFalse();
        List<ConsumerRecord<byte[], byte[]>> outputs = outputs(1 + SampleContacts.registrations(1)
                + SampleContacts.invoices(1) + SampleContacts.invitations(1));
        assertThat(outputs).allSatisfy(output -> assertThat(only(traceparents(output))).contains(lookup.getTraceId()));
    }

    @Test
    void aLookupHeldByTheCircuitStaysInItsTrace() throws Exception {
        start(Map.of("pipeline.circuit-first-probe-ms", "200", "pipeline.circuit-max-probe-ms", "400"));
        sandbox.failEverything(Fault.KEY_REVOKED);
        producer.send(TestProducer.record(topics.input(), bytes("2"), bytes("2"), Map.of("traceparent", TRACEPARENT)));
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(2) >= 3);
        sandbox.failEverything(null);

        SpanData lookup = awaitLookup(2, "published");
        assertThat(lookup.getTraceId()).isEqualTo(TRACE_ID);
        List<SpanData> calls = children(lookup, SpanKind.CLIENT);
        assertThat(calls.size()).isGreaterThanOrEqualTo(4);
        assertThat(calls.get(0).getAttributes().get(LookupTracing.STATUS)).isEqualTo(463L);
        assertThat(calls.get(calls.size() - 1).getAttributes().get(LookupTracing.STATUS)).isEqualTo(200L);
    }

    @Test
    void aDeadLetterCarriesOneTraceparentOfTheLookupsTraceAndAReplayJoinsIt() throws Exception {
        sandbox.failFirst(14, 1, Fault.SERVER_ERROR); // one retry, then iVvy says not found
        start();
        producer.send(TestProducer.record(topics.input(), bytes("14"), bytes("14"), Map.of("traceparent", TRACEPARENT)));
        SpanData lookup = awaitLookup(14, "dead_lettered");
        assertThat(children(lookup, SpanKind.CLIENT)).extracting(call -> call.getAttributes().get(LookupTracing.STATUS))
                .containsExactly(500L, 404L);
        printTrace(TRACE_ID);
        SpanData deadLetterPublish = only(children(lookup, SpanKind.PRODUCER));
        assertThat(deadLetterPublish.getName()).isEqualTo(topics.deadLetters() + " publish");
        ConsumerRecord<byte[], byte[]> deadLetter = only(readAtLeast(topics.deadLetters(), 1));
        assertThat(traceparents(deadLetter)).as("the input's replaced by the dead letter's own")
                .containsExactly("00-" + TRACE_ID + "-" + deadLetterPublish.getSpanId() + "-01");

        sandbox.putContact(14, bytes("{\"id\":14,\"firstName\":\"Found\"}"));
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        new DeadLetterReplayer(client, 16 << 20, null).replay(new ReplayRequest(topics.deadLetters(), topics.input(),
                groupId + "-replay", Set.of(), false, Long.MAX_VALUE, 3), line -> { });

        SpanData replayed = await().atMost(Duration.ofSeconds(30)).until(
                () -> lookups(14).stream().filter(s -> "published".equals(outcome(s))).findFirst().orElse(null),
                span -> span != null);
        assertThat(replayed.getTraceId()).as("the replayed lookup joins the original trace").isEqualTo(TRACE_ID);
        assertThat(replayed.getParentSpanId()).isEqualTo(deadLetterPublish.getSpanId());
    }

    /** The trace as its spans say it, for a reader of the test's output. */
    private void printTrace(String traceId) {
        exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
                .forEach(span -> System.out.printf("span %s %s %s parent=%s %s%n", span.getName(), span.getKind(),
                        span.getSpanId(), span.getParentSpanId(), span.getAttributes().asMap()));
    }

    private void start() {
        start(Map.of());
    }

    private void start(Map<String, String> extra) {
        startPipeline(extra, Map.of("openTelemetry", telemetry));
    }

    private SpanData awaitLookup(long contactId, String outcome) {
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> lookups(contactId).stream().filter(s -> outcome.equals(outcome(s))).findFirst().orElse(null),
                span -> span != null);
    }

    private List<SpanData> lookups(long contactId) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CONSUMER)
                .filter(s -> Long.valueOf(contactId).equals(s.getAttributes().get(LookupTracing.CONTACT_ID))).toList();
    }

    private static String outcome(SpanData span) {
        return span.getAttributes().get(LookupTracing.OUTCOME);
    }

    private List<SpanData> children(SpanData parent, SpanKind kind) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == kind && s.getParentSpanId().equals(parent.getSpanId()))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList(),
                found -> !found.isEmpty());
    }

    private List<ConsumerRecord<byte[], byte[]>> outputs(int expected) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        for (String topic : List.of(topics.contacts(), topics.registrations(), topics.invoices(), topics.invitations())) {
            all.addAll(readAtLeast(topic, 0));
        }
        assertThat(all).hasSize(expected);
        return all;
    }

    private static List<String> traceparents(ConsumerRecord<byte[], byte[]> record) {
        List<String> values = new ArrayList<>();
        for (Header header : record.headers().headers("traceparent")) {
            values.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
