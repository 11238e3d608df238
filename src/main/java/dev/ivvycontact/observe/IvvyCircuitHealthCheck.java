package dev.ivvycontact.observe;

import dev.ivvycontact.resilience.CircuitGate;
import dev.ivvycontact.resilience.IvvyCircuit;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/** DOWN, with the reason, while the iVvy circuit is not closed (lookups held, records kept). */
public final class IvvyCircuitHealthCheck extends OutsideCauseHealthCheck {

    private final IvvyCircuit circuit;
    private final CircuitGate gate;

    public IvvyCircuitHealthCheck(IvvyCircuit circuit, CircuitGate gate) {
        super("ivvy-circuit");
        this.circuit = circuit;
        this.gate = gate;
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
