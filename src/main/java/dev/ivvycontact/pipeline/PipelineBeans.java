package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.consumer.ClaimPublishing;
import dev.ivvycontact.consumer.ExactlyOnce;
import dev.ivvycontact.consumer.KeyedKafkaComponent;
import dev.ivvycontact.consumer.KeyedKafkaEndpoint;
import dev.ivvycontact.consumer.LoggedTask;
import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.consumer.ProcessingGuarantee;
import dev.ivvycontact.deadletter.DeadLetterPublisher;
import dev.ivvycontact.deadletter.DeadLetterRefusals;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.DeadLetterHealthCheck;
import dev.ivvycontact.observe.HealthEndpoint;
import dev.ivvycontact.observe.IvvyCircuitHealthCheck;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.PrometheusEndpoint;
import dev.ivvycontact.observe.ServiceIdentity;
import dev.ivvycontact.observe.Telemetry;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.GroupBudget;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.sync.SyncHealthCheck;
import dev.ivvycontact.sync.SyncLeadership;
import dev.ivvycontact.sync.SyncRun;
import dev.ivvycontact.sync.SyncStateStore;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the Java pieces the routes refer to by name, built from the resolved configuration. */
public final class PipelineBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBeans.class);
    /** A retry's delay is shortened by up to this share at random, so failures together don't retry together. */
    private static final double RETRY_JITTER = 0.2;
    /** How long losing partition 0 waits for a sync run to stop at its next page: a page's call and its retries. */
    public static final Duration SYNC_HAND_OVER = Duration.ofSeconds(60);

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

        ServiceIdentity identity = ServiceIdentity.of(System.getenv());
        ExactlyOnce exactlyOnce = null;
        if (settings.processing().exactlyOnce()) {
            consumerProperties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Properties transactional = ByteClients.reliableProducer(clientProperties, settings.maxRequestSize());
            transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    settings.processing().transactionalId(settings.groupId(), identity.instanceId()));
            exactlyOnce = new ExactlyOnce(() -> new KafkaProducer<>(transactional),
                    settings.processing().transactionInterval(), settings.processing().transactionMaxRecords());
        }
        OutputProducers outputProducers = new OutputProducers(exactlyOnce);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags(ServiceIdentity.SERVICE_VERSION, identity.version(),
                ServiceIdentity.SERVICE_INSTANCE_ID, identity.instanceId());
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics())
                .forEach(binder -> binder.bindTo(meters));
        PipelineMetrics metrics = new PipelineMetrics(meters);
        if (exactlyOnce != null) {
            metrics.counter("pipeline.transactions.committed", "output transactions committed (exactly once)",
                    exactlyOnce::committed);
            metrics.counter("pipeline.transactions.aborted",
                    "output transactions aborted (exactly once): their records were read again", exactlyOnce::aborted);
        }
        LookupTracing tracing = new LookupTracing(Telemetry.forContext(context, identity), settings.groupId(), settings.ivvyBaseUrl());

        IvvyClient ivvy = IvvyClient.create(settings, settings.maxRequestsPerSecond(), mapper, metrics, tracing, clock);
        IvvyCircuit circuit = ivvy.circuit();
        ScheduledExecutorService probeTimer = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(circuit, "ivvy-circuit-probe");
        CircuitGate gate = new CircuitGate(circuit,
                (delay, probe) -> probeTimer.schedule(LoggedTask.of("The iVvy circuit's probe", probe),
                        delay.toMillis(), TimeUnit.MILLISECONDS));
        metrics.gauge("pipeline.ivvy.circuit.state", "0 closed, 1 open (lookups held), 2 half open (probing)",
                () -> circuit.state().ordinal());
        metrics.gauge("pipeline.lookups.held", "lookups held while the iVvy circuit is not closed", gate::heldRounds);
        HealthCheckRegistry.get(context).register(new IvvyCircuitHealthCheck(circuit, gate));
        metrics.gauge("pipeline.ivvy.rate.limit.per.second",
                "calls to iVvy per second this instance is held to now (its own limit or its share of the group's budget; 0: none)",
                ivvy.rateLimiter()::ratePerSecond);
        InputAssignment inputAssignment = new InputAssignment();
        if (settings.groupMaxRequestsPerSecond() > 0) {
            inputAssignment.onChange(new GroupBudget(settings.groupMaxRequestsPerSecond(), settings.sync().enabled(),
                    ivvy.rateLimiter()));
        }
        MissingTopics missingTopics = new MissingTopics(clientProperties, settings.topics().written());
        context.addService(missingTopics);
        KafkaPublishFailures publishFailures = new KafkaPublishFailures(missingTopics);
        Backoff retries = retries(settings);

        Registry registry = context.getRegistry();
        registry.bind("keyed-kafka", new KeyedKafkaComponent(consumerProperties));
        registry.bind("processingGuarantee", exactlyOnce != null ? exactlyOnce
                : ProcessingGuarantee.atLeastOnce(KeyedKafkaEndpoint.DEFAULT_COMMIT_INTERVAL));
        registry.bind("outputProducers", outputProducers);
        registry.bind("contactKeys", new ContactKeys(new InputMessageParser(mapper), tracing));
        registry.bind("circuitGate", gate);
        registry.bind("pipelineMetrics", metrics);
        registry.bind("inputAssignment", inputAssignment);
        registry.bind("startLookup", new StartLookup());
        ivvy.bindTo(registry);
        registry.bind("contactSplitter", new ContactSplitter(mapper, settings.topics(), tracing));
        registry.bind("claimPublishing", new ClaimPublishing());
        registry.bind("lookupPublished", new LookupPublished(metrics));
        registry.bind("lookupFailures", new LookupFailures(circuit, publishFailures, retries, settings.maxAttempts(), metrics));
        DeadLetterRefusals refusals = new DeadLetterRefusals(settings.retryMaxDelay(), MonotonicClock.SYSTEM);
        HealthCheckRegistry.get(context).register(new DeadLetterHealthCheck(refusals));
        metrics.gauge("pipeline.dead.letters.refused", "1 while Kafka refuses dead letters for good (see the health check dead-letters)",
                () -> refusals.current().isPresent() ? 1 : 0);
        Properties deadLetterProducer = ByteClients.reliableProducer(clientProperties, settings.maxRequestSize());
        registry.bind("deadLetterPublisher", new DeadLetterPublisher(() -> outputProducers.deadLetters(deadLetterProducer),
                settings.topics().deadLetters(), clock, publishFailures, refusals, retries, metrics, tracing));
        bindSync(context, settings, ivvy, inputAssignment, tracing);

        registry.bind("healthAll", new HealthEndpoint(mapper, HealthEndpoint.Scope.ALL));
        registry.bind("healthLive", new HealthEndpoint(mapper, HealthEndpoint.Scope.LIVENESS));
        registry.bind("healthReady", new HealthEndpoint(mapper, HealthEndpoint.Scope.READINESS));
        registry.bind("prometheusMetrics", new PrometheusEndpoint(meters));
        context.addService(managementServer(settings.managementPort()));

        context.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .getAdditionalProperties().putAll(settings.kafkaClientOverrides());
    }

    /**
     * The change capture of routes/contact-sync.yaml. Its timer route starts only when SYNC_INTERVAL is set: the
     * properties it reads (sync.enabled, sync.period-ms) are derived here, in one place, from the parsed interval.
     */
    private static void bindSync(CamelContext context, PipelineSettings settings, IvvyClient ivvy,
                                 InputAssignment inputAssignment, LookupTracing tracing) {
        PipelineSettings.Sync sync = settings.sync();
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("sync.enabled", Boolean.toString(sync.enabled()));
        properties.addOverrideProperty("sync.period-ms", Long.toString(sync.enabled() ? sync.interval().toMillis() : 60_000));
        SyncLeadership leadership = new SyncLeadership(SYNC_HAND_OVER);
        SyncRun run = syncRun(settings, ivvy, leadership, tracing);
        context.getRegistry().bind("syncLeadership", leadership);
        context.getRegistry().bind("syncRun", run);
        if (sync.enabled()) {
            inputAssignment.onChange(leadership);
            HealthCheckRegistry.get(context).register(new SyncHealthCheck(run));
            ivvy.metrics().gauge("pipeline.sync.window.lag.seconds",
                    "seconds from the change capture's watermark to now, on the member that leads it (-1: unknown)",
                    run::windowLagSeconds);
            ivvy.metrics().gauge("pipeline.sync.last.success.timestamp.seconds",
                    "when this member last completed a change-capture run (epoch seconds; 0: never)",
                    run::lastSuccessEpochSeconds);
        }
    }

    /** The delays between a call's attempts, for lookups and list pages alike. */
    public static Backoff retries(PipelineSettings settings) {
        return Backoff.exponential(settings.retryInitialDelay(), settings.retryMaxDelay()).withJitter(RETRY_JITTER);
    }

    /**
     * A run of the change capture, as the timer route and the sync command make it. Without a watermark, the first
     * window reaches back one interval and the overlap: enabling the sync is no backfill (the sync command is).
     */
    public static SyncRun syncRun(PipelineSettings settings, IvvyClient ivvy, SyncLeadership leadership,
                                  LookupTracing tracing) {
        PipelineSettings.Sync sync = settings.sync();
        Properties clientProperties = settings.kafkaClientProperties();
        // The windows and the watermark are in iVvy's time, the time of the modified dates listed.
        SyncStateStore store = syncStateStore(settings, ivvy.ivvyClock());
        Duration firstLookBack = sync.enabled() ? sync.interval().plus(sync.overlap()) : sync.overlap();
        return new SyncRun(new SyncRun.Settings(settings.topics().input(), sync.overlap(), sync.settle(), firstLookBack,
                sync.perPage(), sync.chunkIds(), retries(settings), settings.maxAttempts()), store,
                ByteClients.reliableProducer(clientProperties, settings.maxRequestSize()), ivvy.circuit(), leadership,
                tracing, ivvy.metrics(), ivvy.ivvyClock());
    }

    /** Where the change capture keeps its watermark, as the settings name it. */
    public static SyncStateStore syncStateStore(PipelineSettings settings, Clock clock) {
        return new SyncStateStore(settings.kafkaClientProperties(), settings.maxRequestSize(), settings.sync().stateTopic(),
                settings.sync().account(), settings.ivvyBaseUrl(), Json.newMapper(), clock);
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
