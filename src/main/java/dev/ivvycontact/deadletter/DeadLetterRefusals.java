package dev.ivvycontact.deadletter;

import dev.ivvycontact.consumer.MonotonicClock;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether Kafka refuses dead letters for good now (the topic's size limit, a missing topic, no WRITE on it). A
 * refused dead letter is tried again every {@code retryEvery}, so a refusal still in force is seen again within that
 * time; one not seen again for twice as long has gone with its record (revoked, say) and is forgotten. A written dead
 * letter ends the refusal at once.
 */
public final class DeadLetterRefusals {

    private final Duration retryEvery;
    private final MonotonicClock clock;
    private String why;
    private long lastNanos;

    public DeadLetterRefusals(Duration retryEvery, MonotonicClock clock) {
        this.retryEvery = retryEvery;
        this.clock = clock;
    }

    /** Kafka refused a dead letter for good; true when this is news (no refusal, or another one, was in force). */
    public synchronized boolean refused(String reason) {
        boolean news = current().map(known -> !known.equals(reason)).orElse(true);
        why = reason;
        lastNanos = clock.nanoTime();
        return news;
    }

    /** A dead letter was written; true when that ends a refusal. */
    public synchronized boolean written() {
        boolean ended = current().isPresent();
        why = null;
        return ended;
    }

    /** Why dead letters are refused now; empty when they are not. */
    public synchronized Optional<String> current() {
        if (why == null || clock.nanoTime() - lastNanos > 2 * retryEvery.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(why);
    }

    /** How long a refused dead letter waits before it is tried again. */
    public Duration retryEvery() {
        return retryEvery;
    }
}
