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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import dev.ivvycontact.consumer.InputRecord;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The one decision on a failed round, case by case, without a broker. */
class LookupFailuresTest {

    private Set<String> missingTopics = Set.of();
    private final IvvyCircuit circuit = new IvvyCircuit(20,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC());
    private final LookupFailures failures = new LookupFailures(circuit,
            new KafkaPublishFailures(() -> missingTopics),
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
        call();
        call();
        call();
        LookupFailures.Verdict verdict = failures.decide(transientFailure(null), state, null);
        assertThat(verdict.deadLetter()).isNull();
        assertThat(verdict.nextRoundIn()).isZero();
        assertThat(verdict.outage()).contains("3 attempts for one contact failed and iVvy answered no other call");
        assertThat(circuit.isClosed()).as("deciding does nothing").isTrue();

        Exchange round = failedRound(transientFailure(null));
        failures.process(round);
        assertThat(circuit.state()).as("acting on it opens the circuit").isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(round.getProperty(InputRecord.RETRY_DELAY, Duration.class)).isZero();
        assertThat(LookupExchange.deadLetter(round)).isNull();
    }

    @Test
    void actingOnADeadLetterLeavesItForTheNextStepAndForLaterRounds() {
        DeadLetterException notFound = new DeadLetterException(DeadLetterReason.CONTACT_NOT_FOUND, "iVvy 404/24096");
        Exchange round = failedRound(notFound);
        failures.process(round);
        assertThat(LookupExchange.deadLetter(round)).isSameAs(notFound);
        assertThat(round.getProperty(InputRecord.RETRY_DELAY)).as("a written dead letter finishes the record").isNull();
        assertThat(state.deadLetter()).as("a later round writes it without calling iVvy").isSameAs(notFound);
    }

    private Exchange failedRound(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(LookupExchange.STATE, state);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
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
                new TopicAuthorizationException(Set.of("contacts")), state, null).deadLetter();
        assertThat(denied.getMessage()).isEqualTo("not authorized to write to [contacts]");
    }

    @Test
    void kafkaFailingForNowRunsAgainAfterADoublingBackoff() {
        LookupFailures.Verdict first = failures.decide(new NotLeaderOrFollowerException("moving"), state, null);
        assertThat(first.nextRoundIn()).isEqualTo(Duration.ofMillis(250));
        assertThat(first.unexpected()).as("worth a warning").isTrue();
        state.roundFailed();
        assertThat(failures.decide(new NotLeaderOrFollowerException("moving"), state, null).nextRoundIn())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aRevokedPartitionNeedsNothing() {
        assertThat(failures.decide(new PartitionRevokedException(new TopicPartition("in", 0)), state, null))
                .isEqualTo(LookupFailures.Verdict.nextRound(Duration.ZERO));
    }

    /**
     * Issue 17, item B: a contact out of attempts during an outage is held; iVvy comes back (a probe on another
     * contact is answered); its own first call after that gets a 429. Its attempts restart with iVvy: another round,
     * not RETRIES_EXHAUSTED.
     */
    @Test
    void attemptsSpentWhileIvvyWasDownForEveryoneDoNotCount() {
        call();
        call();
        call();
        assertThat(failures.decide(transientFailure(null), state, null).outage()).as("held: nobody answered").isNotNull();
        circuit.unansweredFor("down");
        call(); // a probe of this contact, failed
        circuit.callFailed(6, transientFailure(null));
        circuit.answered(); // another contact's probe is answered: iVvy is back
        call();
        LookupFailures.Verdict verdict = failures.decide(transientFailure(Duration.ofSeconds(1)), state, null);
        assertThat(verdict.deadLetter()).isNull();
        assertThat(verdict.nextRoundIn()).isEqualTo(Duration.ofSeconds(1));
        assertThat(state.attempts()).as("every call still counts for dlt-attempts").isEqualTo(5);
    }

    /**
     * Issue 17, item C: a timeout on the contacts topic while another output topic (one this contact wrote nothing
     * to) is missing is a transient Kafka failure, not "topic X does not exist".
     */
    @Test
    void aTimeoutIsAMissingTopicOnlyWhenTheFailedSendsWentToIt() throws Exception {
        missingTopics = Set.of("invoices");
        ContactOutputs contactOnly = outputsTo("contacts");
        assertThat(failures.decide(new TimeoutException("expired"), state, contactOnly).deadLetter()).isNull();
        DeadLetterException missing = failures.decide(new TimeoutException("expired"), state, outputsTo("invoices"))
                .deadLetter();
        assertThat(missing.getMessage()).startsWith("topic invoices does not exist");
    }

    /** A contact with nothing to split: its one output goes to {@code topic}. */
    private static ContactOutputs outputsTo(String topic) throws Exception {
        ObjectMapper mapper = Json.newMapper();
        ObjectReader reader = Json.elementReader(mapper);
        ContactOutputs outputs = new ContactOutputs(new DefaultCamelContext(), mapper, reader,
                new Topics("in", topic, "registrations", "invoices", "invitations", "dlt"),
                ContactDocument.parse("{\"id\":6}".getBytes(StandardCharsets.UTF_8), reader), "6", "c-1", Map.of());
        outputs.forEach(message -> { });
        return outputs;
    }

    private void call() {
        state.callStarting(circuit.mark());
    }

    private static TransientIvvyFailure transientFailure(Duration retryAfter) {
        return new TransientIvvyFailure("iVvy 500", null, retryAfter);
    }
}
