package dev.ivvycontact.pipeline.consumer;

import dev.ivvycontact.client.IvvyCircuit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lookups pass to the workers while the circuit is closed. While it is open they are held (in memory; fetching is
 * paused meanwhile); when the probe delay has passed, the circuit half-opens and exactly one lookup goes through as
 * the probe; when the circuit closes, every held lookup is released.
 */
final class CircuitGate implements Executor {

    private final Executor workers;
    private final IvvyCircuit circuit;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean probeReleased;

    CircuitGate(Executor workers, IvvyCircuit circuit, ScheduledExecutorService timer) {
        this.workers = workers;
        this.circuit = circuit;
        this.timer = timer;
        circuit.onChange(this::changed);
    }

    @Override
    public void execute(Runnable lookup) {
        synchronized (this) {
            IvvyCircuit.State state = circuit.state();
            if (state == IvvyCircuit.State.OPEN || (state == IvvyCircuit.State.HALF_OPEN && probeReleased)) {
                held.add(lookup);
                return;
            }
            if (state == IvvyCircuit.State.HALF_OPEN) {
                probeReleased = true;
            }
        }
        workers.execute(lookup);
    }

    synchronized int heldLookups() {
        return held.size();
    }

    private void changed(IvvyCircuit.State state) {
        List<Runnable> release = new ArrayList<>();
        synchronized (this) {
            switch (state) {
                case OPEN -> {
                    probeReleased = false;
                    timer.schedule(circuit::startProbe, circuit.probeDelay().toMillis(), TimeUnit.MILLISECONDS);
                }
                case HALF_OPEN -> {
                    Runnable probe = held.poll();
                    probeReleased = probe != null;
                    if (probe != null) {
                        release.add(probe);
                    }
                }
                case CLOSED -> {
                    probeReleased = false;
                    release.addAll(held);
                    held.clear();
                }
            }
        }
        release.forEach(workers::execute);
    }
}
