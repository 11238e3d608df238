package dev.ivvycontact.deadletter;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Every dead-letter reason on a real broker, with the headers of the contract, and bad input never stopping the flow. */
class DeadLetterIT extends PipelineTestBase {

    @Test
    void eachBadInputCostsOneDeadLetterAndTheGoodIdAfterItStillFlows() {
        startPipeline(Map.of());
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("MALFORMED_MESSAGE:empty", new byte[0]);
        bad.put("MALFORMED_MESSAGE:null", null);
        bad.put("MALFORMED_MESSAGE:abc", bytes("abc"));
        bad.put("MALFORMED_MESSAGE:{}", bytes("{}"));
        bad.put("MALFORMED_MESSAGE:id-string", bytes("{\"id\":\"x\"}"));
        bad.put("INVALID_CONTACT_ID:-5", bytes("-5"));
        bad.put("INVALID_CONTACT_ID:0", bytes("0"));
        bad.put("INVALID_CONTACT_ID:20-digits", bytes("98765432109876543210"));
        bad.put("MALFORMED_MESSAGE:array", bytes("[6]"));
        bad.put("MALFORMED_MESSAGE:binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, (byte) 0x80});
        byte[] megabyte = new byte[1_000_000];
        Arrays.fill(megabyte, (byte) 'x');
        bad.put("MALFORMED_MESSAGE:1MB", megabyte);

        List<Long> goodIds = new ArrayList<>();
        long goodId = 1;
        for (Map.Entry<String, byte[]> input : bad.entrySet()) {
            producer.send(TestProducer.record(topics.input(), bytes(input.getKey()), input.getValue(), Map.of()));
            goodId += goodId % 7 == 6 ? 2 : 1; // skip the sandbox's not-found ids
            producer.send(topics.input(), null, Long.toString(goodId));
            goodIds.add(goodId);
        }

        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts(), topics.deadLetters()))) {
            out = reader.readAtLeast(bad.size() + goodIds.size(), Duration.ofSeconds(60));
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = onTopic(out, topics.deadLetters());
        assertThat(deadLetters).hasSize(bad.size());
        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            String key = text(deadLetter.key());
            assertThat(header(deadLetter, "dlt-reason")).as(key).isEqualTo(key.substring(0, key.indexOf(':')));
            assertThat(header(deadLetter, "dlt-attempts")).as(key).isEqualTo("0");
            assertThat(header(deadLetter, "dlt-error")).as(key).isNotBlank().doesNotContain("\n");
            assertThat(deadLetter.value()).as(key).isEqualTo(bad.get(key));
        }
        assertThat(onTopic(out, topics.contacts()).stream().map(r -> Long.parseLong(text(r.key()))))
                .containsExactlyInAnyOrderElementsOf(goodIds);
    }

    @Test
    void notFoundCarriesEveryHeaderOfTheContractAndTheInputUntouched() {
        startPipeline(Map.of());
        byte[] key = {0x00, 'k', (byte) 0xc3};
        var input = TestProducer.record(topics.input(), key, bytes("{\"id\": 14}"), Map.of());
        input.headers().add("trace", bytes("t-1")).add("Trace", bytes("t-2")).add("trace", bytes("t-3"));
        Instant before = Instant.now();
        RecordMetadata sent = producer.send(input);

        ConsumerRecord<byte[], byte[]> deadLetter = readDeadLetters(1).get(0);
        assertThat(deadLetter.key()).isEqualTo(key);
        assertThat(text(deadLetter.value())).isEqualTo("{\"id\": 14}");
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("CONTACT_NOT_FOUND");
        assertThat(header(deadLetter, "dlt-error")).contains("24096").contains("Unable to find contact");
        assertThat(header(deadLetter, "dlt-original-topic")).isEqualTo(topics.input());
        assertThat(header(deadLetter, "dlt-original-partition")).isEqualTo(Integer.toString(sent.partition()));
        assertThat(header(deadLetter, "dlt-original-offset")).isEqualTo(Long.toString(sent.offset()));
        assertThat(header(deadLetter, "dlt-attempts")).isEqualTo("1");
        assertThat(Instant.parse(header(deadLetter, "dlt-failed-at"))).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(header(deadLetter, "dlt-ivvy-error-code")).isEqualTo("404");
        assertThat(header(deadLetter, "dlt-ivvy-specific-code")).isEqualTo("24096");
        // The input's own headers, repeated and case-distinct names included, in their order, before the dlt-* ones.
        List<String> original = Arrays.stream(deadLetter.headers().toArray())
                .filter(h -> !h.key().startsWith("dlt-")).map(h -> h.key() + "=" + text(h.value())).toList();
        assertThat(original).containsExactly("trace=t-1", "Trace=t-2", "trace=t-3");
        assertNoSecretIn(deadLetter);
    }

    @Test
    void anIdIvvyRefusesWith400IsInvalid() {
        sandbox.putAnswer(424_242, 400, bytes(
                "{\"errorCode\":400,\"message\":\"'id' does not validate\",\"specificCode\":23016,\"additionalMessages\":[]}"));
        startPipeline(Map.of());
        producer.send(topics.input(), "424242", "424242");
        ConsumerRecord<byte[], byte[]> deadLetter = readDeadLetters(1).get(0);
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("INVALID_CONTACT_ID");
        assertThat(header(deadLetter, "dlt-ivvy-error-code")).isEqualTo("400");
        assertThat(header(deadLetter, "dlt-ivvy-specific-code")).isEqualTo("23016");
        assertThat(header(deadLetter, "dlt-attempts")).isEqualTo("1");
    }

    /**
     * Out of attempts while iVvy answered other contacts (the evidence that the failure is the contact's own): a dead
     * letter after exactly the configured attempts, with iVvy's last answer.
     */
    @Test
    void aTransientFailureThatNeverClearsIsDeadLetteredAfterExactlyTheConfiguredAttempts() {
        sandbox.putAnswer(515_151, 503, bytes("{\"errorCode\":503,\"message\":\"Service Unavailable\"}"));
        sandbox.putAnswer(525_252, 200, bytes("<html><body>502 Bad Gateway</body></html>"));
        startPipeline(Map.of("pipeline.max-attempts", "3", "pipeline.retry-initial-delay-ms", "400",
                "pipeline.retry-max-delay-ms", "1000"));
        producer.send(topics.input(), "515151", "515151");
        producer.send(topics.input(), "525252", "525252");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(515_151) >= 1 && sandbox.calls(525_252) >= 1);
        List<String> others = existingIds(530_000, 530_010);
        others.forEach(id -> producer.send(topics.input(), id, id));

        Map<String, ConsumerRecord<byte[], byte[]>> byKey = readDeadLetters(2).stream()
                .collect(Collectors.toMap(r -> text(r.key()), r -> r));
        ConsumerRecord<byte[], byte[]> unavailable = byKey.get("515151");
        assertThat(header(unavailable, "dlt-reason")).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(header(unavailable, "dlt-attempts")).isEqualTo("3");
        assertThat(header(unavailable, "dlt-ivvy-error-code")).isEqualTo("503");
        assertThat(header(unavailable, "dlt-ivvy-specific-code")).isNull();
        ConsumerRecord<byte[], byte[]> html = byKey.get("525252");
        assertThat(header(html, "dlt-reason")).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(header(html, "dlt-attempts")).isEqualTo("3");
        assertThat(header(html, "dlt-error")).contains("not valid JSON");
        assertThat(header(html, "dlt-ivvy-error-code")).isNull();
        assertThat(sandbox.calls(515_151)).isEqualTo(3);
        assertThat(sandbox.calls(525_252)).isEqualTo(3);
        assertNoSecretIn(unavailable);
    }

    private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int count) {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
            List<ConsumerRecord<byte[], byte[]>> records = reader.readAtLeast(count, Duration.ofSeconds(60));
            assertThat(records).hasSize(count);
            return records;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> onTopic(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private static void assertNoSecretIn(ConsumerRecord<byte[], byte[]> record) {
        for (Header header : record.headers()) {
            String value = new String(header.value(), StandardCharsets.UTF_8);
            assertThat(value).as(header.key()).doesNotContain(IvvySandbox.API_SECRET).doesNotContain("IWS ");
        }
        assertThat(Set.of("X-Api-Authorization", "x-api-authorization"))
                .allSatisfy(name -> assertThat(record.headers().lastHeader(name)).isNull());
    }
}
