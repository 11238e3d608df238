package dev.ivvycontact.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** iVvy's error answer: {@code {"errorCode": 400, "message": "...", "specificCode": 23016}}. */
public record IvvyError(int errorCode, Integer specificCode, String message) {

    public static final int CONTACT_NOT_FOUND = 24096;
    public static final int REQUEST_STALE = 23005;

    /** iVvy's error JSON in an answer; empty when the answer is not one (a contact, HTML, empty, truncated). */
    public static Optional<IvvyError> parse(int status, byte[] answer, ObjectMapper mapper) {
        if (answer == null || answer.length == 0 || answer[0] != '{') {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = mapper.readTree(answer);
        } catch (IOException notJson) {
            return Optional.empty();
        }
        JsonNode errorCode = json.get("errorCode");
        if (errorCode == null || !errorCode.canConvertToInt()) {
            return Optional.empty();
        }
        JsonNode specific = json.get("specificCode");
        return Optional.of(new IvvyError(errorCode.asInt(status),
                specific != null && specific.canConvertToInt() ? specific.asInt() : null,
                json.path("message").asText(null)));
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
