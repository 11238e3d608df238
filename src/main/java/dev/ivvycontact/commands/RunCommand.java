package dev.ivvycontact.commands;

import dev.ivvycontact.pipeline.PipelineApplication;
import java.util.Properties;
import org.apache.camel.main.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The pipeline against real Kafka and real iVvy, until the process is stopped (SIGTERM drains and commits). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the pipeline until stopped (SIGTERM drains lookups in flight and commits). Needs "
                + "IVVY_BASE_URL, IVVY_API_KEY, IVVY_API_SECRET and KAFKA_BOOTSTRAP_SERVERS (default localhost:9092); "
                + "see README for every setting.")
public final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        try {
            Main main = PipelineApplication.create(new Properties());
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            System.err.println("ivvy-contact-pipeline failed to start: " + e.getMessage());
            return 1;
        }
    }
}
