package dev.ivvycontact.model;

/** iVvy answered 2xx, but not with a contact this module can read (truncated, HTML, an unexpected shape). */
public class InvalidContactAnswerException extends Exception {

    public InvalidContactAnswerException(String message) {
        super(message, null, false, false);
    }
}
