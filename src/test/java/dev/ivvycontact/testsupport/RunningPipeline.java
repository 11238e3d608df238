package dev.ivvycontact.testsupport;

import dev.ivvycontact.pipeline.PipelineApplication;
import dev.ivvycontact.sandbox.IvvySandbox;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The pipeline, started in this JVM exactly as {@code run} starts it, pointed at a test broker and the sandbox. */
public final class RunningPipeline implements AutoCloseable {

    private final Main main;

    private RunningPipeline(Main main) {
        this.main = main;
    }

    /** {@code extra}: further property overrides, e.g. pipeline.max-attempts. */
    public static RunningPipeline start(String bootstrapServers, IvvySandbox sandbox, Map<String, String> extra) {
        return start(bootstrapServers, sandbox, extra, Map.of());
    }

    /** {@code beans}: bound before the pipeline configures itself, e.g. an "openTelemetry" with an in-memory exporter. */
    public static RunningPipeline start(String bootstrapServers, IvvySandbox sandbox, Map<String, String> extra,
                                        Map<String, Object> beans) {
        Properties overrides = new Properties();
        overrides.put("kafka.bootstrap-servers", bootstrapServers);
        overrides.put("ivvy.base-url", sandbox.baseUrl());
        overrides.put("ivvy.api-key", IvvySandbox.API_KEY);
        overrides.put("ivvy.secret", IvvySandbox.API_SECRET);
        overrides.putAll(extra);
        Main main = PipelineApplication.create(overrides);
        beans.forEach(main::bind);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("the pipeline did not start", e);
        }
        return new RunningPipeline(main);
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the pipeline did not stop cleanly", e);
        }
    }
}
