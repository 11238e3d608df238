package dev.ivvycontact.pipeline;

import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The pipeline as a Camel Main application: routes from routes/*.yaml, configuration from
 * config/application.properties (both inside the jar unless PIPELINE_ROUTES / PIPELINE_CONFIG point elsewhere).
 */
public final class PipelineApplication {

    public static final String DEFAULT_CONFIG = "classpath:config/application.properties";

    private PipelineApplication() {
    }

    /**
     * @param overrides properties that win over the configuration files (tests and the demo use them)
     */
    public static Main create(Properties overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(configLocations());
        main.setOverrideProperties(overrides);
        main.configure().addConfiguration(new PipelineBeans());
        return main;
    }

    /** The file named by PIPELINE_CONFIG when set, then the built-in configuration: Camel takes the first it finds. */
    public static String configLocations() {
        String extra = System.getenv("PIPELINE_CONFIG");
        return extra == null || extra.isBlank() ? DEFAULT_CONFIG : "file:" + extra + "," + DEFAULT_CONFIG;
    }
}
