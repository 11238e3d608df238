package dev.ivvycontact.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Which build of the module this is and which running instance: {@code service.version} and
 * {@code service.instance.id} on every span and metric. The instance is the pod's name where Kubernetes sets HOSTNAME
 * to it (stable for the pod's life, and what kubectl shows), else a random id for this process.
 */
public record ServiceIdentity(String version, String instanceId) {

    public static final String SERVICE_VERSION = "service.version";
    public static final String SERVICE_INSTANCE_ID = "service.instance.id";

    public static ServiceIdentity of(Map<String, String> environment) {
        String host = environment.getOrDefault("HOSTNAME", "");
        return new ServiceIdentity(builtVersion(), host.isBlank() ? UUID.randomUUID().toString() : host);
    }

    private static String builtVersion() {
        try (InputStream in = ServiceIdentity.class.getResourceAsStream("/META-INF/ivvy-contact-pipeline.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
