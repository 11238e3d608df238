package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.testsupport.OpenSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class InputTopicWriterTest {

    /**
     * Issue 19, item B: an id the sync produces carries the sync run's trace context, so the lookup it causes starts
     * in the run's trace ("why was this contact looked up" leads back to the run and its list call).
     */
    @Test
    void eachIdCarriesTheSyncRunsTraceparentAndTheLookupContinuesIt() {
        LookupTracing tracing = new LookupTracing(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new OpenSpans()).build()).build(),
                "group", "http://ivvy");
        Span run = tracing.startSyncRun("window");
        InputTopicWriter writer = new InputTopicWriter(null, "in", LookupTracing.headersOf(run));

        ProducerRecord<byte[], byte[]> id = writer.record(new SyncWindow(Instant.EPOCH, Instant.EPOCH.plusSeconds(60)),
                new ContactListPage.Listed(12, "2026-12-03 04:30:44 UTC"));

        String traceparent = new String(id.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertThat(traceparent).isEqualTo("00-" + run.getSpanContext().getTraceId() + "-"
                + run.getSpanContext().getSpanId() + "-" + run.getSpanContext().getTraceFlags().asHex());
        ConsumerRecord<byte[], byte[]> asFetched = new ConsumerRecord<>("in", 0, 0, id.key(), id.value());
        id.headers().forEach(header -> asFetched.headers().add(header));
        Span lookup = tracing.startLookup(asFetched);
        assertThat(lookup.getSpanContext().getTraceId()).isEqualTo(run.getSpanContext().getTraceId());
    }
}
