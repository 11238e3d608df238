package dev.ivvycontact.deadletter;

import dev.ivvycontact.client.HasIvvyError;
import dev.ivvycontact.client.IvvyError;
import java.util.Optional;

/**
 * The message can't succeed as it stands and goes to the dead-letter topic. The message is one readable line
 * for {@code dlt-error}: it never holds a secret or a signature.
 */
public class DeadLetterException extends Exception implements HasIvvyError {

    private final DeadLetterReason reason;
    private final transient IvvyError ivvyError;

    public DeadLetterException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public DeadLetterException(DeadLetterReason reason, String message, IvvyError ivvyError) {
        super(message, null, false, false);
        this.reason = reason;
        this.ivvyError = ivvyError;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /** iVvy's answer when iVvy answered; empty when the message was refused before or without an answer. */
    @Override
    public Optional<IvvyError> ivvyError() {
        return Optional.ofNullable(ivvyError);
    }
}
