package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.client.GetContactAnswer;
import dev.ivvycontact.client.GetContactRequest;
import dev.ivvycontact.client.GetContactTransportFailure;
import dev.ivvycontact.client.IvvyAnswerClassifier;
import dev.ivvycontact.consumer.ClaimPublishing;
import dev.ivvycontact.consumer.KeyedKafkaComponent;
import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.deadletter.DeadLetterPublisher;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.HealthEndpoint;
import dev.ivvycontact.observe.IvvyCircuitHealthCheck;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.PrometheusEndpoint;
import dev.ivvycontact.observe.Telemetry;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.GroupBudget;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.signing.IvvySigner;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the Java pieces the routes refer to by name, built from the resolved configuration. */
public final class PipelineBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBeans.class);
    /** A retry's delay is shortened by up to this share at random, so failures together don't retry together. */
    private static final double RETRY_JITTER = 0.2;

    @Override
    public void configure(CamelContext context) throws Exception {
        PipelineSettings settings = settings(context);
        settings.missingIvvySettings().ifPresent(missing -> {
            throw new IllegalStateException("set " + missing + " (see README, Configuration)");
        });
        LOG.info("Starting with {}", settings);

        ObjectMapper mapper = Json.newMapper();
        Clock clock = Clock.systemUTC();
        Properties clientProperties = settings.kafkaClientProperties();
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(clientProperties);
        consumerProperties.put("group.id", settings.groupId());

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics())
                .forEach(binder -> binder.bindTo(meters));
        PipelineMetrics metrics = new PipelineMetrics(meters);
        LookupTracing tracing = new LookupTracing(openTelemetry(context), settings.groupId(), settings.ivvyBaseUrl());

        IvvyCircuit circuit = new IvvyCircuit(settings.circuitTransientRun(),
                Backoff.exponential(settings.circuitFirstProbeDelay(), settings.circuitMaxProbeDelay()), clock,
                MonotonicClock.SYSTEM);
        ScheduledExecutorService probeTimer = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(circuit, "ivvy-circuit-probe");
        CircuitGate gate = new CircuitGate(circuit,
                (delay, probe) -> probeTimer.schedule(probe, delay.toMillis(), TimeUnit.MILLISECONDS));
        metrics.gauge("pipeline.ivvy.circuit.state", "0 closed, 1 open (lookups held), 2 half open (probing)",
                () -> circuit.state().ordinal());
        metrics.gauge("pipeline.lookups.held", "lookups held while the iVvy circuit is not closed", gate::heldRounds);
        HealthCheckRegistry.get(context).register(new IvvyCircuitHealthCheck(circuit, gate));
        IvvyRateLimiter rateLimiter = new IvvyRateLimiter(settings.maxRequestsPerSecond(), settings.retryMaxDelay(),
                MonotonicClock.SYSTEM);
        metrics.gauge("pipeline.ivvy.rate.limit.per.second",
                "calls to iVvy per second this instance is held to now (its own limit or its share of the group's budget; 0: none)",
                rateLimiter::ratePerSecond);
        InputAssignment inputAssignment = new InputAssignment();
        if (settings.groupMaxRequestsPerSecond() > 0) {
            inputAssignment.onChange(new GroupBudget(settings.groupMaxRequestsPerSecond(), rateLimiter));
        }
        IvvyAnswerClassifier classifier = new IvvyAnswerClassifier(mapper, clock, settings.retryMaxDelay());
        KafkaPublishFailures publishFailures = new KafkaPublishFailures(clientProperties, settings.topics().written());
        context.addService(publishFailures);
        Backoff retries = Backoff.exponential(settings.retryInitialDelay(), settings.retryMaxDelay()).withJitter(RETRY_JITTER);

        Registry registry = context.getRegistry();
        registry.bind("keyed-kafka", new KeyedKafkaComponent(consumerProperties));
        registry.bind("contactKeys", new ContactKeys(new InputMessageParser(mapper), tracing));
        registry.bind("circuitGate", gate);
        registry.bind("pipelineMetrics", metrics);
        registry.bind("inputAssignment", inputAssignment);
        registry.bind("rejectInvalidInput", new RejectInvalidInput());
        registry.bind("getContactRequest", new GetContactRequest(new IvvySigner(settings.credentials(), clock),
                settings.ivvyBaseUrl(), metrics, rateLimiter, tracing));
        registry.bind("getContactAnswer", new GetContactAnswer(classifier, metrics, circuit, rateLimiter));
        registry.bind("getContactTransportFailure", new GetContactTransportFailure(classifier, metrics, circuit));
        registry.bind("contactSplitter", new ContactSplitter(mapper, settings.topics(), tracing));
        registry.bind("claimPublishing", new ClaimPublishing());
        registry.bind("lookupPublished", new LookupPublished(metrics));
        registry.bind("lookupFailures", new LookupFailures(circuit, publishFailures, retries, settings.maxAttempts(), metrics));
        registry.bind("deadLetterPublisher", new DeadLetterPublisher(clientProperties, settings.maxRequestSize(),
                settings.topics().deadLetters(), clock, metrics, tracing));

        registry.bind("healthAll", new HealthEndpoint(mapper, HealthEndpoint.Scope.ALL));
        registry.bind("healthLive", new HealthEndpoint(mapper, HealthEndpoint.Scope.LIVENESS));
        registry.bind("healthReady", new HealthEndpoint(mapper, HealthEndpoint.Scope.READINESS));
        registry.bind("prometheusMetrics", new PrometheusEndpoint(meters));
        context.addService(managementServer(settings.managementPort()));

        context.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .getAdditionalProperties().putAll(settings.kafkaClientOverrides());
    }

    /**
     * The OpenTelemetry bound as "openTelemetry" (tests bind one with an in-memory exporter), else the SDK as the OTEL_*
     * variables configure it, closed with the context so the last spans are exported.
     */
    private static OpenTelemetry openTelemetry(CamelContext context) throws Exception {
        OpenTelemetry bound = context.getRegistry().lookupByNameAndType("openTelemetry", OpenTelemetry.class);
        if (bound != null) {
            return bound;
        }
        OpenTelemetrySdk sdk = Telemetry.fromEnvironment(System.getenv());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                sdk.close();
            }
        });
        return sdk;
    }

    /** The HTTP server of the platform-http routes (health, metrics), on its own port. */
    private static VertxPlatformHttpServer managementServer(int port) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost("0.0.0.0");
        configuration.setBindPort(port);
        return new VertxPlatformHttpServer(configuration);
    }

    /** The settings as Camel resolves them: application.properties, its placeholders, overrides, the environment. */
    public static PipelineSettings settings(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Properties all = properties.loadProperties();
        // Overrides (Main's, as the tests and the demo set them) are not among the loaded properties: add them.
        if (properties instanceof org.apache.camel.component.properties.PropertiesComponent camel
                && camel.getOverrideProperties() != null) {
            all.putAll(camel.getOverrideProperties());
        }
        return PipelineSettings.read(properties::resolveProperty, all, System.getenv());
    }
}
