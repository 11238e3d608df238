package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.testsupport.OpenSpans;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item A: the HTTP client throwing something other than an IOException inside the signed call (a defect, a
 * pool shut down) still ends the call's span, as a failure, and the call fails as a classified transient failure.
 */
class IvvyCallSpansTest extends IvvyCallRouteSupport {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenSpans open = new OpenSpans();
    private final OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(open).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        bindIvvyClient(registry, new IvvyCircuit(20, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                Clock.systemUTC()), new IvvyRateLimiter(0, Duration.ofSeconds(30), MonotonicClock.SYSTEM),
                new IvvyClock(Clock.systemUTC()), telemetry, new PipelineMetrics(new SimpleMeterRegistry()));
    }

    @Test
    void aFailureThatIsNoIOExceptionEndsTheCallsSpan() throws Exception {
        AdviceWith.adviceWith(context, "ivvy-get-contact", route -> route.weaveByType(org.apache.camel.model.ToDefinition.class).replace()
                .throwException(new IllegalStateException("Connection pool shut down")));
        context.start();
        Exchange exchange = template.send("direct:ivvy-get-contact", e -> {
            e.getMessage().setBody(new ContactLookupRequest(5, false));
            e.setProperty(CallHistory.PROPERTY, new CallCount(Context.root()));
        });

        assertThat(exchange.getException()).isInstanceOf(TransientIvvyFailure.class)
                .hasMessageContaining("Connection pool shut down");
        assertThat(open.names()).as("spans started and never ended").isEmpty();
        SpanData call = exporter.getFinishedSpanItems().get(0);
        assertThat(call.getName()).isEqualTo("POST getContact");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("TransientIvvyFailure");
    }
}
