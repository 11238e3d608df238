package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.client.IvvyError;
import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.consumer.PartitionRevokedException;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The one decision on a failed round, case by case, without a broker. */
class LookupFailuresTest {

    private long now = 1_000_000_000L;
    private final IvvyCircuit circuit = new IvvyCircuit(20,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC(), () -> now);
    private final LookupFailures failures = new LookupFailures(circuit,
            new KafkaPublishFailures(new Properties(), List.of("contacts")),
            Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30)), 3,
            new PipelineMetrics(new SimpleMeterRegistry()));
    private final LookupState state = LookupState.of(null, new ContactLookupRequest(6, false), "c-1",
            io.opentelemetry.api.trace.Span.getInvalid());

    @Test
    void theMessagesOwnFaultIsDeadLetteredAsItIs() {
        DeadLetterException notFound = new DeadLetterException(DeadLetterReason.CONTACT_NOT_FOUND, "iVvy 404/24096");
        assertThat(failures.decide(notFound, state, null).deadLetter()).isSameAs(notFound);
    }

    @Test
    void aTransientFailureWithAttemptsLeftRunsAgainAfterTheBackoffOrTheRetryAfter() {
        call();
        LookupFailures.Verdict first = failures.decide(transientFailure(null), state, null);
        assertThat(first.deadLetter()).isNull();
        assertThat(first.nextRoundIn()).isEqualTo(Duration.ofMillis(250));
        call();
        assertThat(failures.decide(transientFailure(Duration.ofSeconds(7)), state, null).nextRoundIn())
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void outOfAttemptsWhileIvvyAnsweredOthersIsRetriesExhausted() {
        call();
        call();
        now += 1000;
        circuit.answered(); // another contact's answer, after this one's first call
        call();
        IvvyError error = new IvvyError(503, null, "Service Unavailable");
        DeadLetterException deadLetter = failures.decide(
                new TransientIvvyFailure("iVvy 503", error, null), state, null).deadLetter();
        assertThat(deadLetter.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
        assertThat(deadLetter.getMessage()).isEqualTo("gave up after 3 attempts, the last: iVvy 503");
        assertThat(deadLetter.ivvyError()).contains(error);
    }

    /** Issue 8, items 5 and B: out of attempts while iVvy answered nobody is an outage, not the contact's fault. */
    @Test
    void outOfAttemptsWhileIvvyAnsweredNobodyOpensTheCircuitAndHolds() {
        circuit.answered(); // long before this contact's first call: no evidence
        now += 1000;
        call();
        call();
        call();
        LookupFailures.Verdict verdict = failures.decide(transientFailure(null), state, null);
        assertThat(verdict.deadLetter()).isNull();
        assertThat(verdict.nextRoundIn()).isZero();
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.reason()).contains("3 attempts for one contact failed and iVvy answered no other call");
    }

    @Test
    void whileTheCircuitIsOpenEveryIvvyFailureIsHeld() {
        circuit.callFailed(1, new SystemicIvvyFailure("iVvy 401", null));
        call();
        call();
        call();
        assertThat(failures.decide(transientFailure(null), state, null)).isEqualTo(LookupFailures.Verdict.nextRound(Duration.ZERO));
        assertThat(failures.decide(new SystemicIvvyFailure("iVvy 401", null), state, null))
                .isEqualTo(LookupFailures.Verdict.nextRound(Duration.ZERO));
    }

    @Test
    void kafkaRefusingForGoodIsPublishRejectedNamingTheLargestOutput() {
        ContactOutputs outputs = new ContactOutputs(null, null, null, null, null, "6", "c-1", Map.of());
        DeadLetterException tooLarge = failures.decide(new RecordTooLargeException("too big"), state, outputs).deadLetter();
        assertThat(tooLarge.reason()).isEqualTo(DeadLetterReason.PUBLISH_REJECTED);
        assertThat(tooLarge.getMessage()).contains("RecordTooLargeException: too big");
        DeadLetterException denied = failures.decide(
                new TopicAuthorizationException(java.util.Set.of("contacts")), state, null).deadLetter();
        assertThat(denied.getMessage()).isEqualTo("not authorized to write to [contacts]");
    }

    @Test
    void kafkaFailingForNowRunsAgainAfterADoublingBackoff() {
        assertThat(failures.decide(new NotLeaderOrFollowerException("moving"), state, null))
                .isEqualTo(LookupFailures.Verdict.nextRound(Duration.ofMillis(250)));
        assertThat(failures.decide(new NotLeaderOrFollowerException("moving"), state, null))
                .isEqualTo(LookupFailures.Verdict.nextRound(Duration.ofMillis(500)));
    }

    @Test
    void aRevokedPartitionNeedsNothing() {
        assertThat(failures.decide(new PartitionRevokedException(new TopicPartition("in", 0)), state, null))
                .isEqualTo(LookupFailures.Verdict.nextRound(Duration.ZERO));
    }

    private void call() {
        state.callStarting(now);
        now += 1000;
    }

    private static TransientIvvyFailure transientFailure(Duration retryAfter) {
        return new TransientIvvyFailure("iVvy 500", null, retryAfter);
    }
}
