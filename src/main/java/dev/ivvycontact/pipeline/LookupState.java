package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.TraceLogContext;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One input record's lookup across all its rounds: what the input said (a request, or why it was refused), the
 * correlation id its outputs share, its trace (one span from fetch to the end, whatever the rounds), and how its calls
 * to iVvy have gone so far. Rounds of one record run one after another, each handed on through a queue, so plain
 * fields are safe.
 *
 * <p>Its attempts are counted twice: every call (what a dead letter reports), and the calls since iVvy last came back
 * (what PIPELINE_MAX_ATTEMPTS bounds): calls spent while iVvy was down for everyone, probes among them, never count
 * against a contact once iVvy answers again.
 */
public final class LookupState implements CallHistory {

    private final ConsumerRecord<byte[], byte[]> record;
    private final ContactLookupRequest request;
    private volatile DeadLetterException deadLetter;
    private final String correlationId;
    private final Span span;
    private boolean ended;
    private int attempts;
    private int attemptsThisSpell;
    private IvvyCircuit.Mark spellStart;
    private int failedRounds;

    private LookupState(ConsumerRecord<byte[], byte[]> record, ContactLookupRequest request,
                        DeadLetterException deadLetter, String correlationId, Span span) {
        this.record = record;
        this.request = request;
        this.deadLetter = deadLetter;
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

    /**
     * The dead letter decided for this record, not yet acknowledged by Kafka: from the start for refused input, or
     * since a round decided on it. Null while it is a lookup. Once decided, later rounds only write it: no call again.
     */
    public DeadLetterException deadLetter() {
        return deadLetter;
    }

    public void deadLetterDecided(DeadLetterException decided) {
        deadLetter = decided;
    }

    public String correlationId() {
        return correlationId;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public void callStarting(IvvyCircuit.Mark circuit) {
        attempts++;
        if (spellStart == null || spellStart.spell() != circuit.spell()) {
            spellStart = circuit;
            attemptsThisSpell = 0;
        }
        attemptsThisSpell++;
    }

    /** Calls made since the iVvy circuit last closed (since the first call, if it never opened meanwhile). */
    public int attemptsThisSpell() {
        return attemptsThisSpell;
    }

    /** Where the circuit stood at the first of {@link #attemptsThisSpell()}: evidence is counted from there. */
    public IvvyCircuit.Mark spellStart() {
        return spellStart;
    }

    @Override
    public Context traceContext() {
        return Context.root().with(span);
    }

    /** The lookup's trace in the logging context, for the lines of its work (close it when done). */
    public TraceLogContext logContext() {
        return TraceLogContext.of(span);
    }

    /** Ends the lookup's span with its outcome, once (a later call, for a record already ended, does nothing). */
    public synchronized void ended(String outcome) {
        if (!ended) {
            ended = true;
            LookupTracing.endLookup(span, outcome);
        }
    }

    /** Rounds of this record that failed so far (the backoff for failures other than iVvy's grows with them). */
    public int failedRounds() {
        return failedRounds;
    }

    public void roundFailed() {
        failedRounds++;
    }
}
