package dev.ivvycontact.observe;

import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN, with the reason, while the iVvy circuit is not closed (lookups held, records kept): in /observe/health and
 * the alerts, never in liveness or readiness. A restart does not cure iVvy, and a consumer that serves no traffic
 * gains nothing from turning NotReady: every pod would at once, stalling rollouts and node drains.
 */
public final class IvvyCircuitHealthCheck extends AbstractHealthCheck {

    private final IvvyCircuit circuit;
    private final CircuitGate gate;

    public IvvyCircuitHealthCheck(IvvyCircuit circuit, CircuitGate gate) {
        super("pipeline", "ivvy-circuit");
        this.circuit = circuit;
        this.gate = gate;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        IvvyCircuit.State state = circuit.state();
        builder.detail("state", state.name());
        builder.detail("lookupsHeld", gate.heldRounds());
        if (state == IvvyCircuit.State.CLOSED) {
            builder.up();
        } else {
            builder.detail("nextProbeDelayMs", circuit.probeDelay().toMillis());
            builder.message("iVvy unavailable: " + circuit.reason());
            builder.down();
        }
    }
}
