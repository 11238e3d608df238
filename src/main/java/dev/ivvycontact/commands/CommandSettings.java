package dev.ivvycontact.commands;

import dev.ivvycontact.pipeline.PipelineApplication;
import dev.ivvycontact.pipeline.PipelineBeans;
import dev.ivvycontact.pipeline.PipelineSettings;
import org.apache.camel.impl.DefaultCamelContext;

/** The configuration of the one-shot commands, resolved exactly as `run` resolves it (same files, same variables). */
final class CommandSettings {

    private CommandSettings() {
    }

    static PipelineSettings load() {
        // Never started, so it holds no threads and needs no stop (whose log lines would clutter the command's output).
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getPropertiesComponent().setLocation(PipelineApplication.configLocations());
        return PipelineBeans.settings(context);
    }
}
