package dev.ivvycontact.client;

import java.time.Duration;
import java.util.Optional;

/** A call that may well succeed if tried again: a timeout, a reset, a 5xx, a 429, an answer that isn't iVvy's JSON. */
public class TransientIvvyFailure extends Exception {

    private final transient IvvyError ivvyError;
    private final Duration retryAfter;

    public TransientIvvyFailure(String message, IvvyError ivvyError, Duration retryAfter) {
        super(message, null, false, false);
        this.ivvyError = ivvyError;
        this.retryAfter = retryAfter;
    }

    public Optional<IvvyError> ivvyError() {
        return Optional.ofNullable(ivvyError);
    }

    /** What iVvy asked for in Retry-After, when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
