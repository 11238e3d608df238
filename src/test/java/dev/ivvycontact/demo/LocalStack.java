package dev.ivvycontact.demo;

import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.testsupport.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Kafka (embedded KRaft) with the default topics (the sync state's compacted), and the sandbox on 127.0.0.1:8089, until stopped: a stack without
 * Docker for trying the jar's commands by hand. Prints the environment to export.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             IvvySandbox sandbox = IvvySandbox.start(8089)) {
            broker.createTopics(3, List.of("ivvy.contact-ids", "ivvy.contact-ids.dlt", "ivvy.contacts",
                    "ivvy.contact-registrations", "ivvy.contact-invoices", "ivvy.contact-invitations"));
            broker.createTopics(1, List.of("ivvy.contact-sync-state"), Map.of("cleanup.policy", "compact"));
            System.out.println("Local stack up. In another shell:");
            System.out.println("  export KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers()
                    + " IVVY_BASE_URL=" + sandbox.baseUrl() + " IVVY_API_KEY=" + IvvySandbox.API_KEY
                    + " IVVY_API_SECRET=" + IvvySandbox.API_SECRET);
            System.out.println("Ctrl-C stops it.");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
    }
}
