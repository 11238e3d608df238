package dev.ivvycontact.resilience;

import static dev.ivvycontact.resilience.IvvyCircuitTest.systemic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.RecordGate.GatePass;
import dev.ivvycontact.consumer.RecordGate.GatedRound;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class CircuitGateTest {

    private final IvvyCircuit circuit = new IvvyCircuit(20,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC());
    private final List<Runnable> probeTimer = new ArrayList<>();
    private final CircuitGate gate = new CircuitGate(circuit, (delay, task) -> probeTimer.add(task));
    private final List<Round> started = new ArrayList<>();
    private final List<Round> dropped = new ArrayList<>();

    @Test
    void roundsPassWhileClosed() {
        Round round = new Round("a");
        gate.admit(round);
        assertThat(started).containsExactly(round);
        assertThat(round.pass).isSameAs(GatePass.NONE);
    }

    @Test
    void whileOpenRoundsAreHeldThenOneProbesAndAnAnswerReleasesTheRest() {
        circuit.callFailed(1, systemic());
        Round a = new Round("a");
        Round b = new Round("b");
        gate.admit(a);
        gate.admit(b);
        assertThat(started).isEmpty();
        assertThat(gate.heldRounds()).isEqualTo(2);

        fireProbeTimer();
        assertThat(started).containsExactly(a);
        Round c = new Round("c");
        gate.admit(c);
        assertThat(started).as("one probe at a time").containsExactly(a);

        circuit.answered();
        assertThat(started).containsExactly(a, b, c);
        assertThat(gate.heldRounds()).isZero();
    }

    @Test
    void aFailedProbeGoesBackInLineSoTheNextProbeIsAnotherRound() {
        circuit.callFailed(1, systemic());
        Round a = new Round("a");
        Round b = new Round("b");
        gate.admit(a);
        gate.admit(b);
        fireProbeTimer();
        circuit.callFailed(1, systemic()); // a's call failed: open again
        a.pass.close();
        gate.admit(a.again()); // its next round
        fireProbeTimer();
        assertThat(started).extracting(r -> r.name).containsExactly("a", "b");
    }

    /** Issue 8, item 1: a probe that ends without calling iVvy must not leave the circuit half open for good. */
    @Test
    void aProbeThatEndsWithoutACallSchedulesTheNextProbe() {
        circuit.callFailed(1, systemic());
        Round a = new Round("a");
        Round b = new Round("b");
        gate.admit(a);
        gate.admit(b);
        fireProbeTimer();
        a.pass.close(); // ended without a call: its partition went away, say
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        fireProbeTimer();
        assertThat(started).extracting(r -> r.name).containsExactly("a", "b");
        circuit.answered();
        assertThat(circuit.isClosed()).isTrue();
    }

    @Test
    void heldRoundsWhoseRecordIsGoneAreNeverTheProbe() {
        circuit.callFailed(1, systemic());
        Round gone = new Round("gone");
        Round live = new Round("live");
        gate.admit(gone);
        gate.admit(live);
        gone.live = false;
        fireProbeTimer();
        assertThat(dropped).extracting(r -> r.name).containsExactly("gone");
        assertThat(started).extracting(r -> r.name).containsExactly("live");
        assertThat(live.pass).isNotSameAs(GatePass.NONE);
    }

    @Test
    void pruningDropsHeldRoundsWhoseRecordIsGone() {
        circuit.callFailed(1, systemic());
        Round gone = new Round("gone");
        Round live = new Round("live");
        gate.admit(gone);
        gate.admit(live);
        gone.live = false;
        gate.prune();
        assertThat(dropped).extracting(r -> r.name).containsExactly("gone");
        assertThat(started).isEmpty();
        assertThat(gate.heldRounds()).isEqualTo(1);
    }

    /**
     * Issue 17, item A: the probe's start is rejected (its consumer stopped): the circuit must not stay half open for
     * good, holding everything; the next probe goes to another round.
     */
    @Test
    void aProbeThatCannotStartIsProbedAgainWithAnotherRound() {
        circuit.callFailed(1, systemic());
        Round stopped = new Round("stopped");
        Round next = new Round("next");
        gate.admit(stopped);
        gate.admit(next);
        stopped.rejects = true;
        fireProbeTimer();
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        fireProbeTimer();
        assertThat(started).containsExactly(next);
        circuit.answered();
        assertThat(circuit.isClosed()).isTrue();
    }

    /** Issue 17, item A, variant: one held round failing to start on closing neither fails the call nor strands the rest. */
    @Test
    void closingStartsEveryOtherHeldRoundWhenOneCannotStart() {
        circuit.callFailed(1, systemic());
        Round a = new Round("a");
        Round b = new Round("b");
        Round c = new Round("c");
        gate.admit(a);
        gate.admit(b);
        gate.admit(c);
        a.rejects = true;
        circuit.answered();
        assertThat(started).containsExactly(b, c);
        assertThat(gate.heldRounds()).isZero();
    }

    @Test
    void halfOpenWithNothingHeldTheNextRoundIsTheProbe() {
        circuit.callFailed(1, systemic());
        fireProbeTimer();
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.HALF_OPEN);
        Round a = new Round("a");
        gate.admit(a);
        assertThat(started).containsExactly(a);
        assertThat(a.pass).isNotSameAs(GatePass.NONE);
    }

    private void fireProbeTimer() {
        assertThat(probeTimer).as("a probe is scheduled").isNotEmpty();
        List<Runnable> due = List.copyOf(probeTimer);
        probeTimer.clear();
        due.forEach(Runnable::run);
    }

    private final class Round implements GatedRound {

        private final String name;
        private boolean live = true;
        private boolean rejects;
        private GatePass pass;

        Round(String name) {
            this.name = name;
        }

        Round again() {
            return new Round(name);
        }

        @Override
        public void start(GatePass pass) {
            if (rejects) {
                throw new RejectedExecutionException("the worker pool of a stopped consumer");
            }
            this.pass = pass;
            started.add(this);
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public void drop() {
            dropped.add(this);
        }
    }
}
