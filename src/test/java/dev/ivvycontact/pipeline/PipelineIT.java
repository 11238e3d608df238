package dev.ivvycontact.pipeline;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The pipeline end to end on a real broker and the sandbox over HTTP: the happy path and what each output holds. */
class PipelineIT extends PipelineTestBase {

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void everyContactAndItsPartsLandOnTheirTopicsWithExactCounts() throws Exception {
        startPipeline(Map.of());
        List<Long> ids = LongStream.rangeClosed(1, 30).boxed().toList();
        for (long id : ids) {
            producer.send(topics.input(), Long.toString(id), Long.toString(id));
        }
        List<Long> existing = ids.stream().filter(SampleContacts::exists).toList();
        int contacts = existing.size();
        int registrations = existing.stream().mapToInt(SampleContacts::registrations).sum();
        int invoices = existing.stream().mapToInt(SampleContacts::invoices).sum();
        int invitations = existing.stream().mapToInt(SampleContacts::invitations).sum();
        int notFound = ids.size() - contacts;

        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), outputTopics())) {
            out = reader.readAtLeast(contacts + registrations + invoices + invitations + notFound, Duration.ofSeconds(60));
        }
        Map<String, Long> perTopic = out.stream().collect(Collectors.groupingBy(ConsumerRecord::topic, Collectors.counting()));
        assertThat(perTopic).containsExactlyInAnyOrderEntriesOf(Map.of(
                topics.contacts(), (long) contacts,
                topics.registrations(), (long) registrations,
                topics.invoices(), (long) invoices,
                topics.invitations(), (long) invitations,
                topics.deadLetters(), (long) notFound));
        assertThat(registrations).isPositive();
        assertThat(invoices).isGreaterThan(registrations / 2);

        for (ConsumerRecord<byte[], byte[]> record : out) {
            if (record.topic().equals(topics.deadLetters())) {
                continue;
            }
            String key = text(record.key());
            assertThat(header(record, "ivvy-contact-id")).isEqualTo(key);
            assertThat(header(record, "correlation-id")).isNotBlank();
            JsonNode value = mapper.readTree(record.value());
            long contactId = record.topic().equals(topics.contacts()) ? value.get("id").asLong()
                    : value.get("contact").get("id").asLong();
            assertThat(Long.toString(contactId)).isEqualTo(key);
        }
    }

    @Test
    void contactIsPublishedExactlyAsIvvyReturnedIt() throws Exception {
        startPipeline(Map.of());
        producer.send(topics.input(), "5", "5");
        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), outputTopics())) {
            out = reader.readAtLeast(1 + SampleContacts.registrations(5) + SampleContacts.invoices(5)
                    + SampleContacts.invitations(5), Duration.ofSeconds(60));
        }
        ConsumerRecord<byte[], byte[]> contact = only(out, topics.contacts());
        String json = text(contact.value());
        assertThat(json).contains("\"" + SampleContacts.UNDOCUMENTED_FIELD + "\":\"gold\"")
                .contains("\"phone\":\"0455000005\"");

        ConsumerRecord<byte[], byte[]> invoice = out.stream().filter(r -> r.topic().equals(topics.invoices()))
                .findFirst().orElseThrow();
        String invoiceJson = text(invoice.value());
        assertThat(invoiceJson).contains("\"totalCost\":123.50").contains("\"totalPaid\":0.00");
        JsonNode invoiceNode = mapper.readTree(invoice.value());
        assertThat(invoiceNode.get("registrationId").asLong()).isBetween(500L, 599L);
        assertThat(invoiceNode.get("eventId").asInt()).isGreaterThanOrEqualTo(100);
        assertThat(invoiceNode.get("eventCode").asText()).startsWith("EVT");
        assertThat(invoiceNode.get("contact").get("email").asText()).isEqualTo("sample5@example.com");

        JsonNode registration = mapper.readTree(out.stream().filter(r -> r.topic().equals(topics.registrations()))
                .findFirst().orElseThrow().value());
        assertThat(registration.get("invoices").isArray()).isTrue();
        assertThat(registration.get("guestDetails").isArray()).isTrue();
        assertThat(registration.get("contact").fieldNames()).toIterable()
                .containsExactly("id", "firstName", "lastName", "email");
    }

    @Test
    void correlationIdIsTakenFromTheInputOrMadeOncePerInput() {
        startPipeline(Map.of());
        producer.send(TestProducer.record(topics.input(), bytes("1"), bytes("1"), Map.of("correlation-id", "order-77")));
        producer.send(topics.input(), "2", "2");
        producer.send(topics.input(), "3", "3");
        int expected = 0;
        for (long id = 1; id <= 3; id++) {
            expected += 1 + SampleContacts.registrations(id) + SampleContacts.invoices(id) + SampleContacts.invitations(id);
        }
        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), outputTopics())) {
            out = reader.readAtLeast(expected, Duration.ofSeconds(60));
        }
        assertThat(out).hasSize(expected);
        Map<String, Set<String>> correlationIdsByContact = out.stream().collect(Collectors.groupingBy(
                r -> text(r.key()), Collectors.mapping(r -> header(r, "correlation-id"), Collectors.toSet())));
        assertThat(correlationIdsByContact.get("1")).containsExactly("order-77");
        assertThat(correlationIdsByContact.get("2")).hasSize(1);
        assertThat(correlationIdsByContact.get("3")).hasSize(1);
        assertThat(correlationIdsByContact.get("2")).doesNotContainAnyElementsOf(correlationIdsByContact.get("3"));
    }

    /** Issue 10: ivvy-event-id says what a message says, so a repeat can be dropped and a change can't be. */
    @Test
    void theSameContactGivesTheSameEventIdsAndAChangedRegistrationANewOne() {
        String before = "{\"id\":77001,\"firstName\":\"Ann\",\"eventRegistrations\":["
                + "{\"registrationId\":1,\"currentStatus\":2},{\"registrationId\":2,\"currentStatus\":2}]}";
        sandbox.putContact(77_001, bytes(before));
        startPipeline(Map.of());
        producer.send(topics.input(), "77001", "77001");
        producer.send(topics.input(), "77001", "77001");
        List<String> twice = eventIds(readAtLeast(topics.registrations(), 4));
        assertThat(twice.subList(2, 4)).as("fetched twice, nothing changed").isEqualTo(twice.subList(0, 2));

        sandbox.putContact(77_001, bytes(before.replace("{\"registrationId\":2,\"currentStatus\":2}",
                "{\"registrationId\":2,\"currentStatus\":3}")));
        producer.send(topics.input(), "77001", "77001");
        List<String> thrice = eventIds(readAtLeast(topics.registrations(), 6));
        System.out.printf("ivvy-event-id of contact 77001's registrations, fetched twice: %s and %s; after registration 2 "
                + "was cancelled: %s%n", twice.subList(0, 2), twice.subList(2, 4), thrice.subList(4, 6));
        assertThat(thrice.get(4)).as("registration 1, unchanged").isEqualTo(twice.get(0));
        assertThat(thrice.get(5)).as("registration 2, cancelled").isNotEqualTo(twice.get(1));
        List<String> contactIds = eventIds(readAtLeast(topics.contacts(), 3));
        assertThat(contactIds.get(1)).isEqualTo(contactIds.get(0));
        assertThat(contactIds.get(2)).isNotEqualTo(contactIds.get(0));
    }

    private static List<String> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> header(r, "ivvy-event-id")).toList();
    }

    @Test
    void useEventSortOrderIsPassedToIvvy() throws Exception {
        startPipeline(Map.of());
        producer.send(topics.input(), "3", "{\"id\": 3, \"useEventSortOrder\": true}");
        producer.send(topics.input(), "11", "{\"id\": 11}");
        List<ConsumerRecord<byte[], byte[]>> out;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.registrations()))) {
            out = reader.readAtLeast(SampleContacts.registrations(3) + SampleContacts.registrations(11), Duration.ofSeconds(60));
        }
        List<String> sorted = startsOf(out, "3");
        List<String> unsorted = startsOf(out, "11");
        assertThat(sorted).hasSize(3).isSorted();
        assertThat(unsorted).hasSize(3).isSortedAccordingTo(Comparator.reverseOrder());
    }

    private List<String> startsOf(List<ConsumerRecord<byte[], byte[]>> records, String key) throws Exception {
        List<String> starts = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (key.equals(text(record.key()))) {
                starts.add(mapper.readTree(record.value()).get("eventStartDateTime").asText());
            }
        }
        return starts;
    }

    private static ConsumerRecord<byte[], byte[]> only(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        List<ConsumerRecord<byte[], byte[]>> onTopic = records.stream().filter(r -> r.topic().equals(topic)).toList();
        assertThat(onTopic).hasSize(1);
        return onTopic.get(0);
    }
}
