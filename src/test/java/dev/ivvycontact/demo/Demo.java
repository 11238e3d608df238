package dev.ivvycontact.demo;

import static dev.ivvycontact.testsupport.PipelineTestBase.header;
import static dev.ivvycontact.testsupport.PipelineTestBase.text;

import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.testsupport.EmbeddedKafkaBroker;
import dev.ivvycontact.testsupport.RunningPipeline;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one-command demo: an embedded KRaft broker, the iVvy sandbox, the pipeline as `run` starts it, sample contact
 * ids fed in (a malformed one, an impossible one and a not-found one among them), and an account of what landed.
 * Exits 0 when everything expected has landed, 1 otherwise.
 */
public final class Demo {

    private static final String INPUT = "ivvy.contact-ids";
    private static final Map<String, String> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put("ivvy.contacts", "contacts");
        TOPICS.put("ivvy.contact-registrations", "registrations");
        TOPICS.put("ivvy.contact-invoices", "invoices");
        TOPICS.put("ivvy.contact-invitations", "invitations");
        TOPICS.put("ivvy.contact-ids.dlt", "dead letters");
    }

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        System.out.println("== ivvy-contact-pipeline demo ==");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             IvvySandbox sandbox = IvvySandbox.start(0)) {
            System.out.println("Kafka (embedded KRaft broker): " + broker.bootstrapServers());
            System.out.println("iVvy sandbox:                  " + sandbox.baseUrl());
            broker.createTopics(3, List.of(INPUT, "ivvy.contact-ids.dlt"));
            broker.createTopics(3, List.copyOf(TOPICS.keySet()).subList(0, 4));
            try (RunningPipeline pipeline = RunningPipeline.start(broker.bootstrapServers(), sandbox, Map.of());
                 TestProducer producer = new TestProducer(broker.bootstrapServers())) {
                status = feedAndReport(broker, producer);
            }
        }
        System.exit(status);
    }

    private static int feedAndReport(EmbeddedKafkaBroker broker, TestProducer producer) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (long id = 1; id <= 12; id++) {
            inputs.put(Long.toString(id), id == 5 ? "{\"id\": 5, \"useEventSortOrder\": true}" : Long.toString(id));
        }
        inputs.put("14", "14");
        inputs.put("oops", "not-a-number");
        inputs.put("neg", "-3");
        System.out.println("\nFeeding " + inputs.size() + " messages to " + INPUT + " (key => value):");
        inputs.forEach((key, value) -> {
            System.out.println("  " + key + " => " + value);
            producer.send(INPUT, key, value);
        });

        Map<String, Integer> expected = expectedCounts();
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        List<ConsumerRecord<byte[], byte[]>> landed;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), TOPICS.keySet())) {
            landed = reader.readAtLeast(total, Duration.ofSeconds(90));
        }

        System.out.println("\nWhat landed:");
        boolean allThere = true;
        for (Map.Entry<String, String> topic : TOPICS.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> onTopic = landed.stream()
                    .filter(r -> r.topic().equals(topic.getKey())).toList();
            int want = expected.get(topic.getKey());
            allThere &= onTopic.size() == want;
            System.out.printf("  %-28s %3d %-13s (expected %d)%n", topic.getKey(), onTopic.size(), topic.getValue(), want);
            if (!onTopic.isEmpty() && !topic.getKey().endsWith(".dlt")) {
                ConsumerRecord<byte[], byte[]> first = onTopic.get(0);
                System.out.println("      e.g. key=" + text(first.key()) + " correlation-id="
                        + header(first, "correlation-id") + "  " + abbreviate(text(first.value()), 150));
            }
        }
        System.out.println("\nDead letters (ivvy.contact-ids.dlt):");
        landed.stream().filter(r -> r.topic().endsWith(".dlt")).forEach(r -> System.out.printf(
                "  key=%-5s value=%-16s %-18s attempts=%s  %s%n", text(r.key()), "'" + text(r.value()) + "'",
                header(r, "dlt-reason"), header(r, "dlt-attempts"), header(r, "dlt-error")));
        System.out.println(allThere
                ? "\nEverything expected landed. Demo OK."
                : "\nSomething expected did not land within 90 s. Demo FAILED.");
        return allThere ? 0 : 1;
    }

    private static Map<String, Integer> expectedCounts() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        int contacts = 0;
        int registrations = 0;
        int invoices = 0;
        int invitations = 0;
        for (long id = 1; id <= 12; id++) {
            if (SampleContacts.exists(id)) {
                contacts++;
                registrations += SampleContacts.registrations(id);
                invoices += SampleContacts.invoices(id);
                invitations += SampleContacts.invitations(id);
            }
        }
        int notFound = 12 - contacts + 1; // 7, and the 14 fed on purpose
        expected.put("ivvy.contacts", contacts);
        expected.put("ivvy.contact-registrations", registrations);
        expected.put("ivvy.contact-invoices", invoices);
        expected.put("ivvy.contact-invitations", invitations);
        expected.put("ivvy.contact-ids.dlt", notFound + 2); // plus the malformed and the impossible id
        return expected;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
