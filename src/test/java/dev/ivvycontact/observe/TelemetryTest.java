package dev.ivvycontact.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    /** Issue 19, item C: every span's resource names the build and the instance (the pod, on Kubernetes). */
    @Test
    void theResourceNamesTheVersionAndTheInstance() {
        ServiceIdentity identity = ServiceIdentity.of(Map.of("HOSTNAME", "ivvy-contact-pipeline-7d9f-x2k4q"));
        assertThat(identity.version()).as("the build's version, from the jar").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(identity.instanceId()).isEqualTo("ivvy-contact-pipeline-7d9f-x2k4q");
        try (OpenTelemetrySdk sdk = Telemetry.fromEnvironment(Map.of(), identity)) {
            assertThat(sdk.getSdkTracerProvider().toString())
                    .contains("service.instance.id=\"ivvy-contact-pipeline-7d9f-x2k4q\"")
                    .contains("service.version=\"" + identity.version() + "\"")
                    .contains("service.name=\"ivvy-contact-pipeline\"");
        }
    }

    @Test
    void withoutAPodNameEachProcessIsItsOwnInstance() {
        assertThat(ServiceIdentity.of(Map.of()).instanceId()).isNotEqualTo(ServiceIdentity.of(Map.of()).instanceId());
    }
}
