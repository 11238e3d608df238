package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.PartitionRevokedException;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.TraceLogContext;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what a failed round of a lookup leads to: a dead letter, another round after a delay,
 * or a hold while iVvy is down for everyone (a round re-admitted at once, which the circuit's gate holds).
 *
 * <ul>
 *   <li>the message's own fault (bad input, 400, not found): dead letter;</li>
 *   <li>a failure every message would meet (credentials, clock, unreachable): hold;</li>
 *   <li>a transient iVvy failure: another round after the backoff (or iVvy's Retry-After) while attempts are left
 *       and the circuit is closed; out of attempts, a dead letter only with evidence the failure is this contact's own
 *       (iVvy answered other calls since its first attempt since iVvy came back), otherwise the circuit opens and it
 *       is held. Attempts made while iVvy was down for everyone do not count (see {@link LookupState});</li>
 *   <li>Kafka refusing an output for good: a dead letter; for now (a broker away): another round after the backoff;</li>
 *   <li>the partition taken away: nothing (the consumer lets the record go to its new owner).</li>
 * </ul>
 * {@link #decide} only decides; {@link #process}, the route's error step, acts on the verdict: the circuit, the
 * metrics, the spans, the record's next round. A dead letter is then written by the route's next step.
 */
public final class LookupFailures implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(LookupFailures.class);

    private final IvvyCircuit circuit;
    private final KafkaPublishFailures publishFailures;
    private final Backoff backoff;
    private final int maxAttempts;
    private final PipelineMetrics metrics;

    public LookupFailures(IvvyCircuit circuit, KafkaPublishFailures publishFailures, Backoff backoff, int maxAttempts,
                          PipelineMetrics metrics) {
        this.circuit = circuit;
        this.publishFailures = publishFailures;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
    }

    /**
     * Acts on the verdict on this round's failure, in the lookup's trace (logging context included); a dead letter
     * decided is left in {@link LookupExchange#DEAD_LETTER}.
     */
    @Override
    public void process(Exchange exchange) {
        LookupState state = LookupExchange.state(exchange);
        try (TraceLogContext ignored = state.logContext()) {
            act(exchange, state);
        }
    }

    private void act(Exchange exchange, LookupState state) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Span publish = exchange.getProperty(LookupExchange.PUBLISH_SPAN, Span.class);
        if (publish != null) {
            LookupTracing.endFailed(publish, failure); // Kafka refused some output: this round's publishing ends here
        }
        Verdict verdict;
        try {
            verdict = decide(failure, state, exchange.getMessage().getBody());
        } catch (RuntimeException e) {
            // A bug here must not lose the record nor spin: it is tried again after the backoff, loudly.
            verdict = Verdict.nextRound(afterFailedRound(state));
            LOG.error("Deciding on a failed round of {} failed (tried again in {} ms)", where(state),
                    verdict.nextRoundIn().toMillis(), e);
        }
        state.roundFailed();
        if (verdict.deadLetter() != null) {
            state.deadLetterDecided(verdict.deadLetter());
            exchange.setProperty(LookupExchange.DEAD_LETTER, verdict.deadLetter());
            return;
        }
        if (verdict.outage() != null) {
            circuit.unansweredFor(verdict.outage());
        }
        if (verdict.unexpected()) {
            LOG.warn("A round of {} failed (tried again in {} ms): {}", where(state), verdict.nextRoundIn().toMillis(),
                    failure.toString());
        }
        if (!(failure instanceof PartitionRevokedException)) {
            metrics.lookupFinished("failed_will_retry");
        }
        InputRecord.runAgainAfter(exchange, verdict.nextRoundIn());
    }

    /**
     * What to do after {@code failure}, without doing any of it. {@code body} is the round's message body when it
     * failed (the outputs, when Kafka refused one).
     */
    Verdict decide(Throwable failure, LookupState state, Object body) {
        if (failure instanceof PartitionRevokedException) {
            return Verdict.nextRound(Duration.ZERO);
        }
        if (failure instanceof DeadLetterException messagesOwnFault) {
            return Verdict.deadLetter(messagesOwnFault);
        }
        if (failure instanceof SystemicIvvyFailure) {
            return Verdict.nextRound(Duration.ZERO); // held by the gate until iVvy answers again
        }
        if (failure instanceof TransientIvvyFailure transientFailure) {
            return afterTransientFailure(transientFailure, state);
        }
        Optional<String> permanent = publishFailures.permanent(failure,
                body instanceof ContactOutputs outputs ? outputs.topics() : Set.of());
        if (permanent.isPresent()) {
            String largest = body instanceof ContactOutputs outputs ? "; the largest output: " + outputs.largest() : "";
            return Verdict.deadLetter(new DeadLetterException(DeadLetterReason.PUBLISH_REJECTED, permanent.get() + largest));
        }
        return new Verdict(null, afterFailedRound(state), null, true);
    }

    private Verdict afterTransientFailure(TransientIvvyFailure failure, LookupState state) {
        if (!circuit.isClosed()) {
            return Verdict.nextRound(Duration.ZERO);
        }
        int attempts = state.attemptsThisSpell();
        if (attempts < maxAttempts) {
            return Verdict.nextRound(failure.delayBeforeNextAttempt(backoff, attempts));
        }
        if (circuit.answeredSince(state.spellStart())) {
            return Verdict.deadLetter(new DeadLetterException(DeadLetterReason.RETRIES_EXHAUSTED,
                    "gave up after " + attempts + " attempts, the last: " + failure.getMessage(),
                    failure.ivvyError().orElse(null)));
        }
        return new Verdict(null, Duration.ZERO, attempts + " attempts for one contact failed and iVvy answered no other "
                + "call meanwhile, the last: " + failure.getMessage(), false);
    }

    private Duration afterFailedRound(LookupState state) {
        return backoff.delay(state.failedRounds() + 1);
    }

    private static String where(LookupState state) {
        return state.record() == null ? "a lookup"
                : state.record().topic() + "-" + state.record().partition() + "@" + state.record().offset();
    }

    /**
     * A dead letter to write now, or the delay before the record's next round; {@code outage}: why the circuit must
     * open (iVvy answered nobody), or null; {@code unexpected}: a failure no rule knows, worth a warning.
     */
    record Verdict(DeadLetterException deadLetter, Duration nextRoundIn, String outage, boolean unexpected) {

        static Verdict deadLetter(DeadLetterException deadLetter) {
            return new Verdict(deadLetter, null, null, false);
        }

        static Verdict nextRound(Duration delay) {
            return new Verdict(null, delay, null, false);
        }
    }
}
