package dev.ivvycontact.observe;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The OpenTelemetry SDK as the standard OTEL_* variables configure it (OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER,
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, ...), with the module's defaults: service name
 * ivvy-contact-pipeline, W3C trace context, no metrics or logs export (metrics are Prometheus'), and no trace export
 * unless an exporter or an OTLP endpoint is set, and {@link ServiceIdentity}'s service.version and service.instance.id
 * on the resource (OTEL_RESOURCE_ATTRIBUTES may still set them). Spans are made either way, so every output carries a
 * traceparent.
 */
public final class Telemetry {

    private Telemetry() {
    }

    /**
     * The OpenTelemetry bound as "openTelemetry" (tests bind one with an in-memory exporter), else the SDK as the OTEL_*
     * variables configure it, closed with the context so the last spans are exported.
     */
    public static OpenTelemetry forContext(CamelContext context, ServiceIdentity identity) throws Exception {
        OpenTelemetry bound = context.getRegistry().lookupByNameAndType("openTelemetry", OpenTelemetry.class);
        if (bound != null) {
            return bound;
        }
        OpenTelemetrySdk sdk = fromEnvironment(System.getenv(), identity);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                sdk.close();
            }
        });
        return sdk;
    }

    public static OpenTelemetrySdk fromEnvironment(Map<String, String> environment, ServiceIdentity identity) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "ivvy-contact-pipeline");
        defaults.put("otel.propagators", "tracecontext");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        // service.instance.id is ServiceIdentity's (the pod's name), not the SDK's random one.
        defaults.put("otel.java.disabled.resource.providers", "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider");
        boolean endpointSet = environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                || environment.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        defaults.put("otel.traces.exporter", endpointSet ? "otlp" : "none");
        String ours = ServiceIdentity.SERVICE_VERSION + "=" + identity.version() + ","
                + ServiceIdentity.SERVICE_INSTANCE_ID + "=" + identity.instanceId();
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                // Ours first: OTEL_RESOURCE_ATTRIBUTES, after them, still sets either.
                .addPropertiesCustomizer(config -> Map.of("otel.resource.attributes",
                        ours + "," + config.getString("otel.resource.attributes", "")))
                .disableShutdownHook() // closed with the Camel context, after the last span
                .build()
                .getOpenTelemetrySdk();
    }
}
