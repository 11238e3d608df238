package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.IvvyClient;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.signing.ApiCredentials;
import dev.ivvycontact.signing.IvvySigner;
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
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item A: the HTTP client throwing something other than an IOException inside the signed call (a defect, a
 * pool shut down) still ends the call's span, as a failure, and the call fails as a classified transient failure.
 */
class IvvyCallSpansTest extends CamelTestSupport {

    private static IvvySandbox sandbox;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenSpans open = new OpenSpans();
    private final OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(open).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = IvvySandbox.start(0);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().addInitialProperty("ivvy.base-url", sandbox.baseUrl());
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        return context;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        IvvyCircuit circuit = new IvvyCircuit(20, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)),
                Clock.systemUTC());
        IvvyRateLimiter rateLimiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), MonotonicClock.SYSTEM);
        SignedCall signedCall = new SignedCall(
                new IvvySigner(new ApiCredentials(IvvySandbox.API_KEY, IvvySandbox.API_SECRET), Clock.systemUTC()),
                sandbox.baseUrl(), metrics, rateLimiter, circuit, new LookupTracing(telemetry, "group", sandbox.baseUrl()));
        new IvvyClient(circuit, rateLimiter, new IvvyAnswerClassifier(Json.newMapper(), Clock.systemUTC(),
                Duration.ofSeconds(30)), signedCall, metrics, new IvvyClock(Clock.systemUTC())).bindTo(registry);
    }

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/ivvy-call.yaml"));
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
