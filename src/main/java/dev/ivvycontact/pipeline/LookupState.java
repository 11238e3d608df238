package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.LookupTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One input record's lookup across all its rounds: what the input said (a request, or why it was refused), the
 * correlation id its outputs share, its trace (one span from fetch to the end, whatever the rounds), and how its calls
 * to iVvy have gone so far. Rounds of one record run one after another, each handed on through a queue, so plain
 * fields are safe.
 */
public final class LookupState implements CallHistory {

    private final ConsumerRecord<byte[], byte[]> record;
    private final ContactLookupRequest request;
    private final DeadLetterException rejection;
    private final String correlationId;
    private final Span span;
    private boolean ended;
    private int attempts;
    private long firstCallNanos;
    private int failedRounds;

    private LookupState(ConsumerRecord<byte[], byte[]> record, ContactLookupRequest request,
                        DeadLetterException rejection, String correlationId, Span span) {
        this.record = record;
        this.request = request;
        this.rejection = rejection;
        this.correlationId = correlationId;
        this.span = span;
    }

    public static LookupState of(ConsumerRecord<byte[], byte[]> record, ContactLookupRequest request, String correlationId,
                                 Span span) {
        return new LookupState(record, request, null, correlationId, span);
    }

    public static LookupState refused(ConsumerRecord<byte[], byte[]> record, DeadLetterException rejection,
                                      String correlationId, Span span) {
        return new LookupState(record, null, rejection, correlationId, span);
    }

    /** The input record (for the dead letter); null in the benchmark's plain camel-kafka route, which has none. */
    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** The call to make; null when the input was refused. */
    public ContactLookupRequest request() {
        return request;
    }

    /** Why the input was refused before any call; null when it is a lookup. */
    public DeadLetterException rejection() {
        return rejection;
    }

    public String correlationId() {
        return correlationId;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public void callStarting(long nanoTime) {
        if (attempts == 0) {
            firstCallNanos = nanoTime;
        }
        attempts++;
    }

    @Override
    public long firstCallNanos() {
        return firstCallNanos;
    }

    @Override
    public Context traceContext() {
        return Context.root().with(span);
    }

    /** Ends the lookup's span with its outcome, once (a later call, for a record already ended, does nothing). */
    public synchronized void ended(String outcome) {
        if (!ended) {
            ended = true;
            LookupTracing.endLookup(span, outcome);
        }
    }

    /** Counts a round that failed for a reason other than iVvy (Kafka, say); returns how many in a row. */
    public int roundFailed() {
        return ++failedRounds;
    }
}
