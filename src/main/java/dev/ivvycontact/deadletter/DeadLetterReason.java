package dev.ivvycontact.deadletter;

/** Why a message was dead-lettered: the value of the {@code dlt-reason} header. */
public enum DeadLetterReason {
    /** The value is empty, null, not a number and not JSON with an integer id. */
    MALFORMED_MESSAGE,
    /** An id that can't exist (zero, negative, beyond 64-bit), or iVvy answered 400 for it. */
    INVALID_CONTACT_ID,
    /** iVvy answered specificCode 24096. */
    CONTACT_NOT_FOUND,
    /** A transient failure outlasted the configured attempts while iVvy answered other contacts. */
    RETRIES_EXHAUSTED,
    /** Kafka refused an output in a way a retry can't change: too large, a topic missing or not authorized. */
    PUBLISH_REJECTED
}
