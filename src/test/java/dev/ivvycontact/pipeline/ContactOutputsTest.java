package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ContactOutputsTest {

    private static final Topics TOPICS = new Topics("in", "contacts", "registrations", "invoices", "invitations", "dlt");
    private static final String CONTACT = """
            {"id":6,"firstName":"Zoë","lastName":"O'Neil","email":"zoe@example.com","phone":"0455550000",
             "futureField":{"nested":[1,2]},
             "eventRegistrations":[
               {"eventId":101,"eventCode":"EVT1","registrationId":9001,"newRegField":"kept",
                "guestDetails":[{"contactId":6,"fullName":"Zoë O'Neil"}],
                "invoices":[{"id":1,"totalCost":123.50,"totalPaid":"10.10","currency":"AUD"},
                            {"id":2,"totalCost":0.10,"totalPaid":0}]},
               {"eventId":102,"eventCode":"EVT2","registrationId":9002,"invoices":null}],
             "eventInvitations":[{"eventId":201,"eventCode":"INV1","response":"Y"}],
             "modifiedDate":"2026-11-01 09:30:00 UTC"}""";

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void everyOutputCarriesThePublishSpansTraceparentAndAnEventIdOfWhatItSays() throws Exception {
        List<Message> out = outputs(CONTACT);
        assertThat(out).allSatisfy(m -> assertThat(m.getHeader("traceparent")).isEqualTo(TRACEPARENT));
        assertThat(out).extracting(m -> m.getHeader("ivvy-event-id", String.class)).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[0-9a-f]{64}"));
        assertThat(out.get(0).getHeader("ivvy-event-id")).isEqualTo(
                EventIds.of("contact", "6", "6", CONTACT.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSameContactGivesTheSameEventIdsAndAChangedRegistrationANewOne() throws Exception {
        List<Object> first = eventIds(outputs(CONTACT));
        assertThat(eventIds(outputs(CONTACT))).isEqualTo(first);
        List<Object> changed = eventIds(outputs(CONTACT.replace("\"newRegField\":\"kept\"", "\"newRegField\":\"changed\"")));
        // The contact's bytes and the first registration changed; the invoices, the other registration, the invitation did not.
        assertThat(changed.get(0)).isNotEqualTo(first.get(0));
        assertThat(changed.get(1)).isNotEqualTo(first.get(1));
        assertThat(changed.subList(2, 6)).isEqualTo(first.subList(2, 6));
    }

    private static List<Object> eventIds(List<Message> out) {
        return out.stream().map(m -> m.getHeader("ivvy-event-id")).toList();
    }

    @Test
    void theContactThenOneMessagePerRegistrationInvoiceAndInvitation() throws Exception {
        List<Message> out = outputs(CONTACT);
        assertThat(out).extracting(m -> m.getHeader(KafkaConstants.OVERRIDE_TOPIC)).containsExactly(
                "contacts", "registrations", "invoices", "invoices", "registrations", "invitations");
        assertThat(out).allSatisfy(m -> {
            assertThat(m.getHeader(KafkaConstants.KEY)).isEqualTo("6");
            assertThat(m.getHeader("ivvy-contact-id")).isEqualTo("6");
            assertThat(m.getHeader("correlation-id")).isEqualTo("corr-1");
        });
        assertThat(out.get(0).getBody(byte[].class)).isEqualTo(CONTACT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void partsKeepTheirFieldsAndGainTheContactSummary() throws Exception {
        List<Message> out = outputs(CONTACT);
        JsonNode registration = json(out.get(1));
        assertThat(registration.get("newRegField").asText()).isEqualTo("kept");
        assertThat(registration.get("invoices")).hasSize(2);
        assertThat(registration.get("guestDetails").get(0).get("fullName").asText()).isEqualTo("Zoë O'Neil");
        assertThat(registration.get("contact").toString())
                .isEqualTo("{\"id\":6,\"firstName\":\"Zoë\",\"lastName\":\"O'Neil\",\"email\":\"zoe@example.com\"}");

        String invoice = new String(out.get(2).getBody(byte[].class), StandardCharsets.UTF_8);
        assertThat(invoice).contains("\"totalCost\":123.50", "\"totalPaid\":\"10.10\"", "\"registrationId\":9001",
                "\"eventId\":101", "\"eventCode\":\"EVT1\"", "\"contact\":{\"id\":6,");
        assertThat(new String(out.get(3).getBody(byte[].class), StandardCharsets.UTF_8)).contains("\"totalCost\":0.10");

        JsonNode invitation = json(out.get(5));
        assertThat(invitation.get("response").asText()).isEqualTo("Y");
        assertThat(invitation.get("contact").get("id").asInt()).isEqualTo(6);
    }

    @Test
    void aContactWithoutEventsYieldsOnlyItself() throws Exception {
        assertThat(outputs("{\"id\":7,\"eventRegistrations\":[],\"eventInvitations\":null}")).hasSize(1);
        assertThat(outputs("{\"id\":7}")).hasSize(1);
    }

    @Test
    void thousandsOfRegistrationsAreStreamedOneByOne() throws Exception {
        StringBuilder json = new StringBuilder("{\"id\":8,\"eventRegistrations\":[");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"registrationId\":").append(i)
                    .append(",\"invoices\":[{\"id\":").append(i).append(",\"totalCost\":1.00}]}");
        }
        json.append("],\"firstName\":\"Late\"}");
        List<Message> out = outputs(json.toString());
        Map<Object, Long> perTopic = out.stream()
                .collect(Collectors.groupingBy(m -> m.getHeader(KafkaConstants.OVERRIDE_TOPIC), Collectors.counting()));
        assertThat(perTopic).containsExactlyInAnyOrderEntriesOf(Map.of("contacts", 1L, "registrations", 5000L, "invoices", 5000L));
        // The summary is found even though firstName comes after the arrays.
        assertThat(json(out.get(out.size() - 1)).get("contact").get("firstName").asText()).isEqualTo("Late");
        assertThat(json(out.get(out.size() - 1)).get("registrationId").asInt()).isEqualTo(4999);
    }

    private List<Message> outputs(String contactJson) throws Exception {
        ContactDocument contact = ContactDocument.parse(contactJson.getBytes(StandardCharsets.UTF_8), Json.elementReader(mapper));
        List<Message> out = new ArrayList<>();
        new ContactOutputs(new DefaultCamelContext(), mapper, Json.elementReader(mapper), TOPICS, contact, contact.summary().get("id").asText(), "corr-1", Map.of("traceparent", TRACEPARENT))
                .forEach(out::add);
        return out;
    }

    private JsonNode json(Message message) throws Exception {
        return mapper.readTree(message.getBody(byte[].class));
    }
}
