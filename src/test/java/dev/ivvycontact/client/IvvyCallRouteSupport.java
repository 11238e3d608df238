package dev.ivvycontact.client;

import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.pipeline.IvvyClient;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.signing.ApiCredentials;
import dev.ivvycontact.signing.IvvySigner;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * routes/ivvy-call.yaml as the pipeline loads it, against the sandbox over HTTP, without Kafka: a test binds the
 * client's pieces with {@link #bindIvvyClient} and calls the routes.
 */
abstract class IvvyCallRouteSupport extends CamelTestSupport {

    static IvvySandbox sandbox;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = IvvySandbox.start(0);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().addInitialProperty("ivvy.base-url", sandbox.baseUrl());
        // As config/application.properties sets it: a retry is the pipeline's decision, never the HTTP client's.
        context.getComponent("http", HttpComponent.class).setAutomaticRetriesDisabled(true);
        return context;
    }

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveResource(context, "file:routes/ivvy-call.yaml"));
    }

    /** The client's pieces, signing with the sandbox's credentials, bound as the routes refer to them. */
    static void bindIvvyClient(Registry registry, IvvyCircuit circuit, IvvyRateLimiter rateLimiter, IvvyClock ivvyClock,
                               OpenTelemetry telemetry, PipelineMetrics metrics) {
        SignedCall signedCall = new SignedCall(
                new IvvySigner(new ApiCredentials(IvvySandbox.API_KEY, IvvySandbox.API_SECRET), Clock.systemUTC()),
                sandbox.baseUrl(), metrics, rateLimiter, circuit, new LookupTracing(telemetry, "group", sandbox.baseUrl()));
        new IvvyClient(circuit, rateLimiter, new IvvyAnswerClassifier(Json.newMapper(), Clock.systemUTC(),
                Duration.ofSeconds(30)), signedCall, metrics, ivvyClock).bindTo(registry);
    }
}
