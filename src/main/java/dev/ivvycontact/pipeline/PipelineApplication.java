package dev.ivvycontact.pipeline;

import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;

/**
 * The pipeline as a Camel Main application: routes from routes/, configuration from
 * config/application.properties (both inside the jar unless PIPELINE_ROUTES / PIPELINE_CONFIG point elsewhere).
 */
public final class PipelineApplication {

    public static final String DEFAULT_CONFIG = "classpath:config/application.properties";
    private static final String ROUTES_PATTERN = "camel.main.routes-include-pattern";

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

    /**
     * Only the signed calls of routes/ivvy-call.yaml, from the folder the routes come from, with {@code beans} binding
     * what they refer to: the Camel of the sync command, which calls iVvy exactly as the pipeline does.
     */
    public static Main createIvvyCalls(CamelConfiguration beans) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(configLocations());
        Properties overrides = new Properties();
        overrides.put(ROUTES_PATTERN, ivvyCallRoutes());
        main.setOverrideProperties(overrides);
        main.configure().addConfiguration(beans);
        return main;
    }

    /** ivvy-call.yaml in each folder of the configured routes pattern (classpath:routes/ by default). */
    private static String ivvyCallRoutes() {
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getPropertiesComponent().setLocation(configLocations());
        String pattern = context.getPropertiesComponent().resolveProperty(ROUTES_PATTERN)
                .orElseThrow(() -> new IllegalStateException(ROUTES_PATTERN + " is not configured"));
        return Arrays.stream(pattern.split(",")).map(String::strip)
                .map(each -> each.substring(0, each.lastIndexOf('/') + 1) + "ivvy-call.yaml")
                .distinct().collect(Collectors.joining(","));
    }

    /** The file named by PIPELINE_CONFIG when set, then the built-in configuration: Camel takes the first it finds. */
    public static String configLocations() {
        String extra = System.getenv("PIPELINE_CONFIG");
        return extra == null || extra.isBlank() ? DEFAULT_CONFIG : "file:" + extra + "," + DEFAULT_CONFIG;
    }
}
