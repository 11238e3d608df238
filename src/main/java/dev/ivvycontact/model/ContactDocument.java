package dev.ivvycontact.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * A contact exactly as iVvy returned it (its bytes, kept for the contacts topic), checked once with a streaming
 * pass that builds no tree: well-formed JSON, an integer id, and the arrays the splitting walks hold objects.
 * Only the small {@code contact} summary is materialised.
 */
public final class ContactDocument {

    public static final String REGISTRATIONS = "eventRegistrations";
    public static final String INVITATIONS = "eventInvitations";
    public static final String INVOICES = "invoices";

    private final byte[] json;
    private final ObjectNode summary;

    private ContactDocument(byte[] json, ObjectNode summary) {
        this.json = json;
        this.summary = summary;
    }

    /** {@code reader}: {@link Json#elementReader}, made once and shared (it is immutable). */
    public static ContactDocument parse(byte[] json, ObjectReader reader) throws InvalidContactAnswerException {
        JsonNode id = null;
        JsonNode firstName = NullNode.getInstance();
        JsonNode lastName = NullNode.getInstance();
        JsonNode email = NullNode.getInstance();
        try (JsonParser parser = reader.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidContactAnswerException("the answer is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "id" -> id = reader.readTree(parser);
                    case "firstName" -> firstName = reader.readTree(parser);
                    case "lastName" -> lastName = reader.readTree(parser);
                    case "email" -> email = reader.readTree(parser);
                    case REGISTRATIONS -> requireArrayOfObjects(parser, value, name, true);
                    case INVITATIONS -> requireArrayOfObjects(parser, value, name, false);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidContactAnswerException("the answer has content after the contact object");
            }
        } catch (IOException e) {
            throw new InvalidContactAnswerException("the answer is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (id == null || !id.isIntegralNumber()) {
            throw new InvalidContactAnswerException("the answer has no integer contact id");
        }
        ObjectNode summary = reader.getConfig().getNodeFactory().objectNode();
        summary.set("id", id);
        summary.set("firstName", firstName);
        summary.set("lastName", lastName);
        summary.set("email", email);
        return new ContactDocument(json, summary);
    }

    /** The bytes iVvy sent, unchanged: unknown fields, number formats and phone strings all as they were. */
    public byte[] json() {
        return json;
    }

    /** {@code {id, firstName, lastName, email}}, attached to every registration, invoice and invitation. */
    public ObjectNode summary() {
        return summary;
    }

    private static void requireArrayOfObjects(JsonParser parser, JsonToken value, String name, boolean registrations)
            throws IOException, InvalidContactAnswerException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_ARRAY) {
            throw new InvalidContactAnswerException("\"" + name + "\" is not an array");
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidContactAnswerException("\"" + name + "\" holds something other than objects");
            }
            if (registrations) {
                checkRegistration(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static void checkRegistration(JsonParser parser) throws IOException, InvalidContactAnswerException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (INVOICES.equals(name)) {
                requireArrayOfObjects(parser, value, REGISTRATIONS + "[]." + INVOICES, false);
            } else {
                parser.skipChildren();
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown reason";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
