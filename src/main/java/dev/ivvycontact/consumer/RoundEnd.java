package dev.ivvycontact.consumer;

import java.time.Duration;

/** How one round of a record ended: finished for good, or to be run again after a delay. */
record RoundEnd(boolean finished, Duration retryDelay) {

    static final RoundEnd FINISHED = new RoundEnd(true, Duration.ZERO);

    static RoundEnd retryAfter(Duration delay) {
        return new RoundEnd(false, delay);
    }
}
