package dev.ivvycontact.client;

import dev.ivvycontact.resilience.Backoff;
import java.time.Duration;
import java.util.Optional;

/** A call that may well succeed if tried again: a timeout, a reset, a 5xx, a 429, an answer that isn't iVvy's JSON. */
public class TransientIvvyFailure extends Exception implements HasIvvyError {

    private final transient IvvyError ivvyError;
    private final Duration retryAfter;

    public TransientIvvyFailure(String message, IvvyError ivvyError, Duration retryAfter) {
        super(message, null, false, false);
        this.ivvyError = ivvyError;
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<IvvyError> ivvyError() {
        return Optional.ofNullable(ivvyError);
    }

    /** What iVvy asked for in Retry-After, when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The wait before the next attempt, after {@code attempts}: {@code backoff}'s delay, or longer if iVvy asked. */
    public Duration delayBeforeNextAttempt(Backoff backoff, int attempts) {
        Duration delay = backoff.delay(attempts);
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
}
