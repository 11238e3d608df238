package dev.ivvycontact.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, item 4 and A: Kafka refusing an output in a way a retry can't change (a record over the topic's size
 * limit, a topic that doesn't exist) costs one dead letter, PUBLISH_REJECTED, after one iVvy call; never a loop.
 */
class PublishRejectedIT extends PipelineTestBase {

    /** A contact of 1.5 MB with three registrations: 1.5 MB of a field iVvy does not document. */
    private static byte[] bigContact(long id) {
        String filler = "x".repeat(1_500_000);
        return ("{\"id\":" + id + ",\"firstName\":\"Big\",\"notes\":\"" + filler + "\",\"eventRegistrations\":["
                + "{\"registrationId\":1},{\"registrationId\":2},{\"registrationId\":3}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aContactOverTheTopicsLimitIsDeadLetteredAfterOneCall() {
        long big = 60_001;
        sandbox.putContact(big, bigContact(big));
        startPipeline(Map.of());
        producer.send(topics.input(), Long.toString(big), Long.toString(big));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAtLeast(topics.deadLetters(), 1);
        assertThat(deadLetters).hasSize(1);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("PUBLISH_REJECTED");
        assertThat(header(deadLetter, "dlt-error")).contains(topics.contacts()).contains("RecordTooLarge");
        assertThat(header(deadLetter, "dlt-attempts")).isEqualTo("1");
        assertThat(sandbox.calls(big)).isEqualTo(1);
        // What Kafka accepted stays published, once.
        assertThat(readAtLeast(topics.registrations(), 3)).hasSize(3);
    }

    /**
     * Exactly once, the refused output voids its transaction (the registrations Kafka took are aborted with it); the
     * contact's record is read again, its dead letter already decided: one dead letter, one iVvy call, and the other
     * contacts of the aborted transaction published once.
     */
    @Test
    void exactlyOnceAContactOverTheTopicsLimitIsDeadLetteredOnceAndNothingElseOfItIsVisible() {
        long big = 60_003;
        sandbox.putContact(big, bigContact(big));
        startPipeline(Map.of("pipeline.processing-guarantee", "exactly_once",
                "pipeline.transactional-id", "rejected-" + groupId));
        List<String> others = List.of("5", "6", "9", "10");
        producer.send(topics.input(), Long.toString(big), Long.toString(big));
        others.forEach(id -> producer.send(topics.input(), id, id));

        Deliveries contacts;
        List<ConsumerRecord<byte[], byte[]>> deadLetters;
        List<ConsumerRecord<byte[], byte[]>> registrations;
        try (TopicReader reader = TopicReader.readCommitted(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
            deadLetters = reader.readAtLeast(1, Duration.ofSeconds(60));
        }
        contacts = Deliveries.awaitCommitted(broker.bootstrapServers(), topics.contacts(), others, Duration.ofSeconds(60));
        try (TopicReader reader = TopicReader.readCommitted(broker.bootstrapServers(), List.of(topics.registrations()))) {
            registrations = reader.readUntil(r -> false, Duration.ofSeconds(3));
        }
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0), "dlt-reason")).isEqualTo("PUBLISH_REJECTED");
        assertThat(sandbox.calls(big)).as("looked up once: the decided dead letter survives the abort").isEqualTo(1);
        assertThat(registrations).as("the big contact's registrations were aborted with its transaction")
                .noneMatch(r -> text(r.key()).equals(Long.toString(big)));
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(others);
        assertThat(contacts.duplicates()).isZero();
    }

    @Test
    void aContactWithinTheTopicsLimitIsPublishedWhole() {
        long big = 60_002;
        sandbox.putContact(big, bigContact(big));
        String bigContacts = "big-" + topics.contacts();
        broker.createTopics(3, List.of(bigContacts), Map.of("max.message.bytes", Integer.toString(4 * 1024 * 1024)));
        startPipeline(Map.of("topic.contacts", bigContacts));
        producer.send(topics.input(), Long.toString(big), Long.toString(big));

        List<ConsumerRecord<byte[], byte[]>> contacts = readAtLeast(bigContacts, 1);
        assertThat(contacts).hasSize(1);
        assertThat(contacts.get(0).value()).isEqualTo(bigContact(big));
        assertThat(readAtLeast(topics.deadLetters(), 0)).isEmpty();
        assertThat(sandbox.calls(big)).isEqualTo(1);
    }

    @Test
    void aMissingOutputTopicIsDeadLetteredAfterOneCall() {
        String missing = "missing-" + topics.invoices();
        startPipeline(Map.of("topic.invoices", missing, "kafka.client.max.block.ms", "3000"));
        producer.send(topics.input(), "5", "5"); // sample contact 5 has invoices

        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAtLeast(topics.deadLetters(), 1);
        assertThat(deadLetters).hasSize(1);
        assertThat(header(deadLetters.get(0), "dlt-reason")).isEqualTo("PUBLISH_REJECTED");
        assertThat(header(deadLetters.get(0), "dlt-error")).contains(missing);
        assertThat(sandbox.calls(5)).isEqualTo(1);
    }

    /**
     * Issue 17, item 2: the dead-letter topic's max.message.bytes is 2,000, and two records need dead letters of 3 KB
     * (malformed input, and a contact not found whose input carries a 3 KB header). Neither loops: iVvy is called once,
     * readiness turns DOWN naming the cause, the other contacts flow on. Once the limit is lifted both dead letters
     * are written, once, and readiness is UP again.
     */
    @Test
    void aDeadLetterTheTopicRefusesWaitsLoudlyWithoutCallingIvvyAgain() throws Exception {
        String smallDlt = "small-" + topics.deadLetters();
        broker.createTopics(3, List.of(smallDlt), Map.of("max.message.bytes", "2000"));
        int port = FreePort.find();
        startPipeline(Map.of("topic.dlt", smallDlt, "management.port", Integer.toString(port)));
        String malformed = "not an id " + "x".repeat(3000);
        producer.send(topics.input(), "bad", malformed);
        ProducerRecord<byte[], byte[]> notFound = new ProducerRecord<>(topics.input(), bytes("60011"), bytes("60011"));
        notFound.headers().add("note", bytes("n".repeat(3000)));
        producer.send(notFound);
        List<String> good = existingIds(60010, 60015);
        good.forEach(id -> producer.send(topics.input(), id, id));

        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), good, Duration.ofSeconds(60));
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(good);
        JsonNode check = awaitHealth(port, 503, "dead-letters");
        // Readiness does not follow it (issue 19, item H): UP, while the dead letters are still refused.
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 200);
        assertThat(awaitHealth(port, 503, "dead-letters").get("status").asText()).isEqualTo("DOWN");
        assertThat(check.get("message").asText()).startsWith("dead letters can't be written: Kafka refused an output as too large");
        Thread.sleep(1000); // several rounds of the refused dead letters
        assertThat(sandbox.calls(60011)).as("iVvy is not called again for a decided dead letter").isEqualTo(1);
        assertThat(readAtLeast(smallDlt, 0)).isEmpty();

        try (Admin admin = broker.admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, smallDlt),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                    .all().get();
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAtLeast(smallDlt, 2);
        assertThat(deadLetters).extracting(r -> text(r.value())).containsExactlyInAnyOrder(malformed, "60011");
        assertThat(awaitHealth(port, 200, "dead-letters").get("status").asText()).isEqualTo("UP");
        assertThat(sandbox.calls(60011)).isEqualTo(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
