package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.client.SystemicIvvyFailure;
import dev.ivvycontact.client.TransientIvvyFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IvvyCircuitTest {

    private final IvvyCircuit circuit = new IvvyCircuit(3,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)),
            Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC));
    private final List<IvvyCircuit.State> changes = new ArrayList<>();

    IvvyCircuitTest() {
        circuit.onChange(changes::add);
    }

    @Test
    void aSystemicFailureOpensAndAnAnswerCloses() {
        circuit.callFailed(1, systemic());
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.reason()).startsWith("iVvy 463 \"Key Revoked\" (since 2026-11-29T10:00:00Z)");
        circuit.answered();
        assertThat(circuit.isClosed()).isTrue();
        assertThat(circuit.reason()).isEmpty();
        assertThat(changes).containsExactly(IvvyCircuit.State.OPEN, IvvyCircuit.State.CLOSED);
    }

    @Test
    void transientFailuresOpenOnlyAsARunOverTwoContacts() {
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(1, transientFailure());
        assertThat(circuit.isClosed()).as("three in a row, one contact").isTrue();
        circuit.callFailed(2, transientFailure());
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
    }

    @Test
    void anAnswerBreaksTheRun() {
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(2, transientFailure());
        circuit.answered();
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(2, transientFailure());
        assertThat(circuit.isClosed()).isTrue();
    }

    @Test
    void failedProbesDoubleTheDelayUpToTheMaxAndAnAnswerResetsIt() {
        circuit.callFailed(1, systemic());
        assertThat(circuit.probeDelay()).isEqualTo(Duration.ofSeconds(1));
        for (Duration expected : List.of(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(4))) {
            circuit.startProbe();
            assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.HALF_OPEN);
            circuit.callFailed(1, transientFailure());
            assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
            assertThat(circuit.probeDelay()).isEqualTo(expected);
        }
        circuit.startProbe();
        circuit.answered();
        circuit.callFailed(1, systemic());
        assertThat(circuit.probeDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aProbeEndingWithoutACallReopensOnlyItsOwnHalfOpenSpell() {
        circuit.callFailed(1, systemic());
        circuit.startProbe();
        long first = circuit.episode();
        circuit.callFailed(2, systemic()); // an older call failing reopens it
        circuit.startProbe();
        circuit.probeEndedWithoutAnswer(first);
        assertThat(circuit.state()).as("a stale probe changes nothing").isEqualTo(IvvyCircuit.State.HALF_OPEN);
        circuit.probeEndedWithoutAnswer(circuit.episode());
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.probeDelay()).as("not doubled: the probe did not fail").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void answeredSinceTellsWhetherIvvyAnsweredAfterAMark() {
        IvvyCircuit.Mark before = circuit.mark();
        assertThat(circuit.answeredSince(before)).isFalse();
        circuit.throttled();
        assertThat(circuit.answeredSince(before)).as("a 429 is no evidence").isFalse();
        circuit.answered();
        assertThat(circuit.answeredSince(before)).isTrue();
        assertThat(circuit.answeredSince(circuit.mark())).isFalse();
    }

    @Test
    void eachClosingStartsANewSpell() {
        long spell = circuit.mark().spell();
        circuit.callFailed(1, systemic());
        assertThat(circuit.mark().spell()).isEqualTo(spell);
        circuit.answered();
        assertThat(circuit.mark().spell()).isEqualTo(spell + 1);
        circuit.answered();
        assertThat(circuit.mark().spell()).as("already closed: the same spell").isEqualTo(spell + 1);
    }

    /**
     * Issue 17, item 1: iVvy back after an outage answers a probe with 429. That is iVvy up: the circuit closes (the
     * rate limiter waits the Retry-After), instead of opening again for the doubled probe delay.
     */
    @Test
    void a429ToTheProbeClosesTheCircuitAndNeverGrowsTheProbeDelay() {
        circuit.callFailed(1, systemic());
        circuit.startProbe();
        circuit.callFailed(1, systemic()); // a probe while iVvy is still down: the delay doubles
        assertThat(circuit.probeDelay()).isEqualTo(Duration.ofSeconds(2));
        circuit.startProbe();
        circuit.throttled();
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.CLOSED);
        circuit.callFailed(1, systemic());
        assertThat(circuit.probeDelay()).as("a new outage starts from the first delay").isEqualTo(Duration.ofSeconds(1));
    }

    /**
     * Issue 18, item 3: getContact fails for everyone while getContactList answers. A list answer proves iVvy is
     * reachable, not that lookups work: it must not close a circuit that lookups' failures opened, nor count as
     * evidence against a contact.
     */
    @Test
    void aListAnswerClosesACircuitOpenedForEveryCallButNotOneOpenedByFailingLookups() {
        IvvyCircuit.Mark before = circuit.mark();
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(2, transientFailure());
        circuit.callFailed(1, transientFailure());
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        circuit.reachable();
        assertThat(circuit.state()).as("lookups still failing, as far as anyone knows").isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.answeredSince(before)).as("no evidence").isFalse();
        circuit.answered();
        assertThat(circuit.isClosed()).isTrue();

        circuit.callFailed(1, systemic());
        circuit.reachable();
        assertThat(circuit.isClosed()).as("the key, clock and network work again").isTrue();
    }

    @Test
    void a429BreaksARunOfTransientFailures() {
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(2, transientFailure());
        circuit.throttled();
        circuit.callFailed(1, transientFailure());
        circuit.callFailed(2, transientFailure());
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.CLOSED);
    }

    @Test
    void unansweredForOpensAClosedCircuit() {
        circuit.unansweredFor("8 attempts and no answer");
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.reason()).startsWith("8 attempts and no answer");
    }

    static SystemicIvvyFailure systemic() {
        return new SystemicIvvyFailure("iVvy 463 \"Key Revoked\"", null);
    }

    static TransientIvvyFailure transientFailure() {
        return new TransientIvvyFailure("iVvy 500", null, null);
    }
}
