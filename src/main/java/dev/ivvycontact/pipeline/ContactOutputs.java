package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * Every message one contact produces, made lazily while camel-kafka sends them: the contact's own bytes first, then
 * one message per registration, per invoice and per invitation. The registrations and invitations are streamed out
 * of the contact's bytes one element at a time, so a contact with thousands of them costs linear work and never a
 * second copy of the whole contact in memory.
 */
public final class ContactOutputs implements Iterable<Message> {

    private final CamelContext camelContext;
    private final ObjectMapper mapper;
    private final ObjectReader elementReader;
    private final Topics topics;
    private final ContactDocument contact;
    private final String key;
    private final String correlationId;
    private final Map<String, String> traceHeaders;
    private int largestBytes = -1;
    private String largestTopic;
    private final Set<String> topicsWritten = new TreeSet<>();

    /**
     * {@code elementReader}: {@link Json#elementReader} of {@code mapper}, made once and shared; {@code traceHeaders}:
     * the publish span's W3C headers, which every output carries.
     */
    public ContactOutputs(CamelContext camelContext, ObjectMapper mapper, ObjectReader elementReader, Topics topics,
                          ContactDocument contact, String key, String correlationId, Map<String, String> traceHeaders) {
        this.camelContext = camelContext;
        this.mapper = mapper;
        this.elementReader = elementReader;
        this.topics = topics;
        this.contact = contact;
        this.key = key;
        this.correlationId = correlationId;
        this.traceHeaders = traceHeaders;
    }

    @Override
    public Iterator<Message> iterator() {
        return new OutputIterator();
    }

    /** The largest message made so far and its topic: what to name when Kafka refuses one as too large. */
    public synchronized String largest() {
        return largestBytes < 0 ? "none" : largestBytes + " bytes to " + largestTopic;
    }

    /** The topics of the messages made so far: those a failed send of this contact can be about. */
    public synchronized Set<String> topics() {
        return Set.copyOf(topicsWritten);
    }

    /** One output: {@code entityType} and {@code entityId} say what it is, for its event id. */
    private Message message(String topic, String entityType, JsonNode entityId, byte[] value) {
        synchronized (this) {
            topicsWritten.add(topic);
            if (value.length > largestBytes) {
                largestBytes = value.length;
                largestTopic = topic;
            }
        }
        Message message = new DefaultMessage(camelContext);
        message.setBody(value);
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        message.setHeader(KafkaConstants.KEY, key);
        message.setHeader(LookupExchange.HEADER_CORRELATION_ID, correlationId);
        message.setHeader(LookupExchange.HEADER_CONTACT_ID, key);
        message.setHeader(LookupExchange.HEADER_EVENT_ID,
                EventIds.of(entityType, key, entityId == null ? "" : entityId.asText(), value));
        traceHeaders.forEach(message::setHeader);
        return message;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Walks the top level of the contact; inside the two arrays it reads one element at a time. */
    private final class OutputIterator implements Iterator<Message> {

        private final ArrayDeque<Message> ready = new ArrayDeque<>();
        private final JsonParser parser;
        private String openArray;
        private boolean finished;

        OutputIterator() {
            ready.add(message(topics.contacts(), "contact", contact.summary().get("id"), contact.json()));
            try {
                parser = elementReader.createParser(contact.json());
                parser.nextToken();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            try {
                while (ready.isEmpty() && !finished) {
                    advance();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return !ready.isEmpty();
        }

        @Override
        public Message next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void advance() throws IOException {
            JsonToken token = parser.nextToken();
            if (openArray != null) {
                if (token == JsonToken.END_ARRAY) {
                    openArray = null;
                } else if (ContactDocument.REGISTRATIONS.equals(openArray)) {
                    addRegistration((ObjectNode) elementReader.readTree(parser));
                } else {
                    addInvitation((ObjectNode) elementReader.readTree(parser));
                }
            } else if (token == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                boolean split = ContactDocument.REGISTRATIONS.equals(name) || ContactDocument.INVITATIONS.equals(name);
                if (split && value == JsonToken.START_ARRAY) {
                    openArray = name;
                } else {
                    parser.skipChildren();
                }
            } else {
                finished = true;
                parser.close();
            }
        }

        private void addRegistration(ObjectNode registration) {
            JsonNode invoices = registration.get(ContactDocument.INVOICES);
            registration.set("contact", contact.summary());
            ready.add(message(topics.registrations(), "registration", registration.get("registrationId"),
                    bytes(registration)));
            if (invoices != null && invoices.isArray()) {
                for (JsonNode invoice : invoices) {
                    ObjectNode out = (ObjectNode) invoice; // its registration is already serialised: safe to extend in place
                    out.set("registrationId", registration.get("registrationId"));
                    out.set("eventId", registration.get("eventId"));
                    out.set("eventCode", registration.get("eventCode"));
                    out.set("contact", contact.summary());
                    ready.add(message(topics.invoices(), "invoice", out.get("id"), bytes(out)));
                }
            }
        }

        private void addInvitation(ObjectNode invitation) {
            invitation.set("contact", contact.summary());
            ready.add(message(topics.invitations(), "invitation", invitation.get("eventId"), bytes(invitation)));
        }
    }
}
