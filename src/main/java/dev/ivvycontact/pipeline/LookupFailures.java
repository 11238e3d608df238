package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.PartitionRevokedException;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import io.opentelemetry.api.trace.Span;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
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
 *       (iVvy answered other calls since its first), otherwise the circuit opens and it is held;</li>
 *   <li>Kafka refusing an output for good: a dead letter; for now (a broker away): another round after the backoff;</li>
 *   <li>the partition taken away: nothing (the consumer lets the record go to its new owner).</li>
 * </ul>
 * Used as the route's {@code onWhen}: true means "dead-letter it"; otherwise the round fails and the consumer runs
 * the record again after the delay set here. The verdict is kept on the exchange, so it is made once per round.
 */
public final class LookupFailures {

    private static final Logger LOG = LoggerFactory.getLogger(LookupFailures.class);
    private static final String DECIDED = "contactPipeline.failureDecided";

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

    /** The verdict on this round's failure: true when the record is to be dead-lettered now. */
    public boolean deadLetter(Exchange exchange) {
        Boolean decided = exchange.getProperty(DECIDED, Boolean.class);
        if (decided != null) {
            return decided;
        }
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LookupState state = LookupExchange.state(exchange);
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
            LOG.error("Deciding on a failed round of {} failed (tried again in {} ms): {}", where(state),
                    verdict.nextRoundIn().toMillis(), e.toString(), e);
        }
        exchange.setProperty(InputRecord.RETRY_DELAY, verdict.nextRoundIn());
        if (verdict.deadLetter() != null) {
            exchange.setProperty(LookupExchange.DEAD_LETTER, verdict.deadLetter());
        } else if (!(failure instanceof PartitionRevokedException)) {
            metrics.lookupFinished("failed_will_retry");
        }
        exchange.setProperty(DECIDED, verdict.deadLetter() != null);
        return verdict.deadLetter() != null;
    }

    /**
     * What to do after {@code failure}. {@code body} is the round's message body when it failed (the outputs, when
     * Kafka refused one). The next round's delay is set in every case: a dead letter that can't be written is tried
     * again after it too.
     */
    Verdict decide(Throwable failure, LookupState state, Object body) {
        if (failure instanceof PartitionRevokedException) {
            return Verdict.nextRound(Duration.ZERO);
        }
        if (failure instanceof DeadLetterException messagesOwnFault) {
            return Verdict.deadLetter(messagesOwnFault, afterFailedRound(state));
        }
        if (failure instanceof SystemicIvvyFailure) {
            return Verdict.nextRound(Duration.ZERO); // held by the gate until iVvy answers again
        }
        if (failure instanceof TransientIvvyFailure transientFailure) {
            return afterTransientFailure(transientFailure, state);
        }
        Optional<String> permanent = publishFailures.permanent(failure);
        if (permanent.isPresent()) {
            String largest = body instanceof ContactOutputs outputs ? "; the largest output: " + outputs.largest() : "";
            return Verdict.deadLetter(new DeadLetterException(DeadLetterReason.PUBLISH_REJECTED,
                    permanent.get() + largest), afterFailedRound(state));
        }
        Duration delay = afterFailedRound(state);
        LOG.warn("A round of {} failed (tried again in {} ms): {}", where(state), delay.toMillis(), failure);
        return Verdict.nextRound(delay);
    }

    private Verdict afterTransientFailure(TransientIvvyFailure failure, LookupState state) {
        if (!circuit.isClosed()) {
            return Verdict.nextRound(Duration.ZERO);
        }
        int attempts = state.attempts();
        if (attempts < maxAttempts) {
            return Verdict.nextRound(failure.delayBeforeNextAttempt(backoff, attempts));
        }
        if (circuit.answeredSince(state.firstCallNanos())) {
            return Verdict.deadLetter(new DeadLetterException(DeadLetterReason.RETRIES_EXHAUSTED,
                    "gave up after " + attempts + " attempts, the last: " + failure.getMessage(),
                    failure.ivvyError().orElse(null)), afterFailedRound(state));
        }
        circuit.unansweredFor(attempts + " attempts for one contact failed and iVvy answered no other call meanwhile, "
                + "the last: " + failure.getMessage());
        return Verdict.nextRound(Duration.ZERO);
    }

    private Duration afterFailedRound(LookupState state) {
        return backoff.delay(state.roundFailed());
    }

    private static String where(LookupState state) {
        return state.record() == null ? "a lookup"
                : state.record().topic() + "-" + state.record().partition() + "@" + state.record().offset();
    }

    /** A dead letter to write now (or null), and the delay before the record's next round if there is one. */
    record Verdict(DeadLetterException deadLetter, Duration nextRoundIn) {

        static Verdict deadLetter(DeadLetterException deadLetter, Duration ifItCantBeWritten) {
            return new Verdict(deadLetter, ifItCantBeWritten);
        }

        static Verdict nextRound(Duration delay) {
            return new Verdict(null, delay);
        }
    }
}
