package dev.ivvycontact.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** iVvy's error answer: {@code {"errorCode": 400, "message": "...", "specificCode": 23016}}. */
public record IvvyError(int errorCode, Integer specificCode, String message) {

    public static final int CONTACT_NOT_FOUND = 24096;
    public static final int REQUEST_STALE = 23005;

    /**
     * iVvy's error JSON in an answer; empty when the answer is not one (a contact, HTML, empty, truncated). One streaming
     * pass over the top-level fields, skipping what is nested: every answer is asked, a contact of any size included,
     * so nothing of it is built.
     */
    public static Optional<IvvyError> parse(byte[] answer, ObjectMapper mapper) {
        if (answer == null || answer.length == 0 || answer[0] != '{') {
            return Optional.empty();
        }
        Integer errorCode = null;
        Integer specificCode = null;
        String message = null;
        try (JsonParser parser = mapper.getFactory().createParser(answer)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "errorCode" -> errorCode = wholeNumber(parser, value);
                    case "specificCode" -> specificCode = wholeNumber(parser, value);
                    case "message" -> message = value.isScalarValue() && value != JsonToken.VALUE_NULL
                            ? parser.getText() : null;
                    default -> { }
                }
                parser.skipChildren();
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                return Optional.empty(); // cut off
            }
        } catch (IOException notJson) {
            return Optional.empty();
        }
        return errorCode == null ? Optional.empty() : Optional.of(new IvvyError(errorCode, specificCode, message));
    }

    /** A number that fits an int (a fraction cut, as Jackson's own conversion does); null for anything else. */
    private static Integer wholeNumber(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double number = parser.getDoubleValue();
            return number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE ? (int) number : null;
        }
        return null;
    }

    public boolean hasSpecificCode(int code) {
        return specificCode != null && specificCode == code;
    }

    /** One line for logs and the dead-letter header: codes and iVvy's own message, nothing of the request. */
    public String describe() {
        return "iVvy " + errorCode + (specificCode == null ? "" : "/" + specificCode)
                + (message == null || message.isBlank() ? "" : " \"" + message.strip() + "\"");
    }
}
