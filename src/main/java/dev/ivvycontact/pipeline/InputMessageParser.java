package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactLookupRequest;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads an input value: a bare contact id ({@code 6}) or JSON ({@code {"id": 6, "useEventSortOrder": true}}).
 * Anything else is refused with the dead-letter reason the contract gives it and one readable line.
 */
public final class InputMessageParser {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final int QUOTED_PREFIX = 40;
    /** Long.MAX_VALUE has 19 digits. */
    private static final int MAX_ID_DIGITS = 19;

    private final ObjectMapper mapper;

    public InputMessageParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ContactLookupRequest parse(byte[] value) throws DeadLetterException {
        if (value == null) {
            throw malformed("the value is null");
        }
        String text = decode(value).strip();
        if (text.isEmpty()) {
            throw malformed("the value is empty");
        }
        if (INTEGER.matcher(text).matches()) {
            return new ContactLookupRequest(bareContactId(text), false);
        }
        if (text.charAt(0) == '{') {
            return parseJson(text);
        }
        throw malformed("the value is neither a contact id nor a JSON object: " + quote(text));
    }

    private ContactLookupRequest parseJson(String text) throws DeadLetterException {
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed("the value is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode id = json.get("id");
        if (id == null || id.isNull()) {
            throw malformed("the JSON value has no \"id\"");
        }
        if (!id.isIntegralNumber()) {
            throw malformed("\"id\" must be an integer, got " + id.getNodeType().name().toLowerCase() + " " + quote(id.toString()));
        }
        JsonNode sortOrder = json.get("useEventSortOrder");
        if (sortOrder != null && !sortOrder.isNull() && !sortOrder.isBoolean()) {
            throw malformed("\"useEventSortOrder\" must be true or false, got " + quote(sortOrder.toString()));
        }
        return new ContactLookupRequest(contactId(id.bigIntegerValue()), sortOrder != null && sortOrder.asBoolean());
    }

    /**
     * A bare id, refused by its length before any conversion: a long string of digits would otherwise cost a
     * quadratic BigInteger conversion on the poll thread (a megabyte of digits: tens of seconds).
     */
    private static long bareContactId(String text) throws DeadLetterException {
        String digits = text.replaceFirst("^[+-]?0*", "");
        if (digits.length() > MAX_ID_DIGITS) {
            throw new DeadLetterException(DeadLetterReason.INVALID_CONTACT_ID,
                    "the contact id has " + digits.length() + " digits: beyond 64 bits");
        }
        return contactId(new BigInteger(text));
    }

    private static long contactId(BigInteger id) throws DeadLetterException {
        if (id.signum() <= 0) {
            throw new DeadLetterException(DeadLetterReason.INVALID_CONTACT_ID, "contact id " + id + " is not positive");
        }
        if (id.bitLength() > 63) {
            throw new DeadLetterException(DeadLetterReason.INVALID_CONTACT_ID,
                    "contact id " + quote(id.toString()) + " is beyond 64 bits");
        }
        return id.longValueExact();
    }

    private static String decode(byte[] value) throws DeadLetterException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("the value is not UTF-8 text (" + value.length + " bytes)");
        }
    }

    private static DeadLetterException malformed(String message) {
        return new DeadLetterException(DeadLetterReason.MALFORMED_MESSAGE, message);
    }

    /** Shows the start of an offending value, never a whole megabyte of it, on one line. */
    private static String quote(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= QUOTED_PREFIX
                ? "'" + oneLine + "'"
                : "'" + oneLine.substring(0, QUOTED_PREFIX) + "…' (" + text.length() + " chars)";
    }
}
