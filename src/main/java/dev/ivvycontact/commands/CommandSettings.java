package dev.ivvycontact.commands;

import dev.ivvycontact.pipeline.PipelineApplication;
import dev.ivvycontact.pipeline.PipelineBeans;
import dev.ivvycontact.pipeline.PipelineSettings;
import java.io.IOException;
import org.apache.camel.impl.DefaultCamelContext;

/** The configuration of the one-shot commands, resolved exactly as `run` resolves it (same files, same variables). */
final class CommandSettings {

    private CommandSettings() {
    }

    static PipelineSettings load() throws IOException {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation(PipelineApplication.configLocations());
            return PipelineBeans.settings(context);
        }
    }
}
