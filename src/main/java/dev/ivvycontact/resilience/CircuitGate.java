package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.RecordGate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iVvy circuit as the consumer's gate: rounds pass while it is closed and are held while it is open. Its probe
 * timer schedules the half-open step; then the first held round whose record is still ours runs as the probe (held
 * rounds whose partition has gone are dropped, never run). When the probe's round ends, the circuit is told, so a
 * probe that never called iVvy can't leave it half open. On closing, every held round runs.
 *
 * <p>One gate per circuit, for the life of the application: a consumer stopped and started again uses the same one,
 * so a stopped consumer's rounds are dropped ({@link #prune}) and a round that can't start any more is let go by the
 * round itself ({@link GatedRound#start} never throws); a failure of one start can't strand the others.
 */
public final class CircuitGate implements RecordGate {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitGate.class);

    private final IvvyCircuit circuit;
    private final BiConsumer<Duration, Runnable> timer;
    private final ArrayDeque<GatedRound> held = new ArrayDeque<>();
    private boolean probeOut;

    /** {@code timer}: runs a task after a delay (the probe's). */
    public CircuitGate(IvvyCircuit circuit, BiConsumer<Duration, Runnable> timer) {
        this.circuit = circuit;
        this.timer = timer;
        circuit.onChange(this::changed);
    }

    @Override
    public void admit(GatedRound round) {
        GatePass pass;
        synchronized (this) {
            IvvyCircuit.State state = circuit.state();
            if (state == IvvyCircuit.State.OPEN || (state == IvvyCircuit.State.HALF_OPEN && probeOut)) {
                held.add(round);
                return;
            }
            if (state == IvvyCircuit.State.HALF_OPEN) {
                probeOut = true;
                pass = probePass(circuit.episode());
            } else {
                pass = GatePass.NONE;
            }
        }
        start(round, pass);
    }

    @Override
    public boolean holding() {
        return !circuit.isClosed();
    }

    @Override
    public void prune() {
        List<GatedRound> gone = new ArrayList<>();
        synchronized (this) {
            held.removeIf(round -> !round.live() && gone.add(round));
        }
        gone.forEach(GatedRound::drop);
    }

    /** Rounds held now. */
    public synchronized int heldRounds() {
        return held.size();
    }

    private void changed(IvvyCircuit.State state) {
        List<GatedRound> release = new ArrayList<>();
        List<GatedRound> gone = new ArrayList<>();
        GatedRound probe = null;
        long probeEpisode = 0;
        synchronized (this) {
            switch (state) {
                case OPEN -> {
                    probeOut = false;
                    timer.accept(circuit.probeDelay(), circuit::startProbe);
                }
                case HALF_OPEN -> {
                    while (!held.isEmpty() && probe == null) {
                        GatedRound next = held.poll();
                        if (next.live()) {
                            probe = next;
                        } else {
                            gone.add(next); // its partition is gone: dropped, calling nobody
                        }
                    }
                    probeOut = probe != null;
                    probeEpisode = circuit.episode();
                }
                case CLOSED -> {
                    probeOut = false;
                    release.addAll(held);
                    held.clear();
                }
            }
        }
        gone.forEach(GatedRound::drop);
        if (probe != null) {
            start(probe, probePass(probeEpisode));
        }
        release.forEach(round -> start(round, GatePass.NONE));
    }

    /** Starts a round; should it throw after all, its pass is closed (a probe is then probed again) and it is logged. */
    private static void start(GatedRound round, GatePass pass) {
        try {
            round.start(pass);
        } catch (RuntimeException e) {
            LOG.error("A round let through the iVvy circuit's gate failed to start", e);
            pass.close();
        }
    }

    private GatePass probePass(long episode) {
        return () -> circuit.probeEndedWithoutAnswer(episode);
    }
}
