package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.client.CircuitGuard;
import dev.ivvycontact.client.GetContactAnswer;
import dev.ivvycontact.client.GetContactRequest;
import dev.ivvycontact.client.GetContactTransportFailure;
import dev.ivvycontact.client.IvvyAnswerClassifier;
import dev.ivvycontact.client.IvvyCircuit;
import dev.ivvycontact.client.IvvyRateLimiter;
import dev.ivvycontact.deadletter.DeadLetterPublisher;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.HealthEndpoint;
import dev.ivvycontact.observe.IvvyCircuitHealthCheck;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.PrometheusEndpoint;
import dev.ivvycontact.pipeline.consumer.ContactIdsComponent;
import dev.ivvycontact.signing.IvvySigner;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the Java pieces the routes refer to by name, built from the resolved configuration. */
public final class PipelineBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBeans.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PipelineSettings settings = settings(context);
        settings.missingIvvySettings().ifPresent(missing -> {
            throw new IllegalStateException("set " + missing + " (see README, Configuration)");
        });
        LOG.info("Starting with {}", settings);

        ObjectMapper mapper = Json.newMapper();
        Clock clock = Clock.systemUTC();
        IvvyAnswerClassifier classifier = new IvvyAnswerClassifier(mapper, clock);
        Properties clientProperties = settings.kafkaClientProperties();

        Properties consumerProperties = new Properties();
        consumerProperties.putAll(clientProperties);
        consumerProperties.put("group.id", settings.groupId());

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics())
                .forEach(binder -> binder.bindTo(meters));
        PipelineMetrics metrics = new PipelineMetrics(meters);

        IvvyCircuit circuit = new IvvyCircuit(settings.circuitTransientRun(), settings.circuitFirstProbeDelay(),
                settings.circuitMaxProbeDelay(), clock);
        metrics.gauge("pipeline.ivvy.circuit.state", "0 closed, 1 open (consumption paused), 2 half open (probing)",
                () -> circuit.state().ordinal());
        HealthCheckRegistry.get(context).register(new IvvyCircuitHealthCheck(circuit));
        IvvyRateLimiter rateLimiter = new IvvyRateLimiter(settings.maxRequestsPerSecond());

        Registry registry = context.getRegistry();
        registry.bind("ivvyCircuit", circuit);
        registry.bind("contact-ids",
                new ContactIdsComponent(consumerProperties, new InputMessageParser(mapper), metrics, circuit));
        registry.bind("rejectInvalidInput", new RejectInvalidInput());
        registry.bind("getContactRequest", new GetContactRequest(new IvvySigner(settings.credentials(), clock),
                settings.ivvyBaseUrl(), metrics, rateLimiter));
        registry.bind("getContactAnswer", new GetContactAnswer(classifier, metrics, circuit, rateLimiter));
        registry.bind("getContactTransportFailure", new GetContactTransportFailure(classifier, metrics, circuit));
        registry.bind("circuitGuard", new CircuitGuard(circuit));
        registry.bind("contactSplitter", new ContactSplitter(mapper, settings.topics()));
        registry.bind("deadLetterPublisher",
                new DeadLetterPublisher(clientProperties, settings.topics().deadLetters(), clock, metrics));

        registry.bind("healthAll", new HealthEndpoint(mapper, HealthEndpoint.Scope.ALL));
        registry.bind("healthLive", new HealthEndpoint(mapper, HealthEndpoint.Scope.LIVENESS));
        registry.bind("healthReady", new HealthEndpoint(mapper, HealthEndpoint.Scope.READINESS));
        registry.bind("prometheusMetrics", new PrometheusEndpoint(meters));
        context.addService(managementServer(settings.managementPort()));

        context.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .getAdditionalProperties().putAll(settings.kafkaClientOverrides());
    }

    /** The HTTP server of the platform-http routes (health, metrics), on its own port. */
    private static VertxPlatformHttpServer managementServer(int port) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost("0.0.0.0");
        configuration.setBindPort(port);
        return new VertxPlatformHttpServer(configuration);
    }

    /** The settings as Camel resolves them: application.properties, its placeholders, the environment. */
    public static PipelineSettings settings(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        return PipelineSettings.read(properties::resolveProperty, properties.loadProperties(), System.getenv());
    }
}
