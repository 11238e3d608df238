package dev.ivvycontact.client;

import java.util.Optional;

/**
 * A failure every message would meet alike (credentials, clock, base URL, iVvy unreachable): not the message's
 * fault, so it is never dead-lettered; the record is kept and tried again once iVvy answers.
 */
public class SystemicIvvyFailure extends Exception implements HasIvvyError {

    private final transient IvvyError ivvyError;

    public SystemicIvvyFailure(String message, IvvyError ivvyError) {
        super(message, null, false, false);
        this.ivvyError = ivvyError;
    }

    @Override
    public Optional<IvvyError> ivvyError() {
        return Optional.ofNullable(ivvyError);
    }
}
