package dev.ivvycontact.client;

/** iVvy's error answer: {@code {"errorCode": 400, "message": "...", "specificCode": 23016}}. */
public record IvvyError(int errorCode, Integer specificCode, String message) {

    public static final int CONTACT_NOT_FOUND = 24096;
    public static final int PARAMETER_INVALID = 23016;
    public static final int PARAMETER_MISSING = 23017;
    public static final int REQUEST_STALE = 23005;

    public boolean hasSpecificCode(int code) {
        return specificCode != null && specificCode == code;
    }

    /** One line for logs and the dead-letter header: codes and iVvy's own message, nothing of the request. */
    public String describe() {
        return "iVvy " + errorCode + (specificCode == null ? "" : "/" + specificCode)
                + (message == null || message.isBlank() ? "" : " \"" + message.strip() + "\"");
    }
}
