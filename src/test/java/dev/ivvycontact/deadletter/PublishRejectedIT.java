package dev.ivvycontact.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.PipelineTestBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
}
