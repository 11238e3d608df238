package dev.ivvycontact.client;

import org.apache.camel.Exchange;

/**
 * Decides, once, whether a transient failure that outlasted its attempts is the message's to bear: only while the
 * circuit is closed. While it is open iVvy is failing for every contact, so the failure stays unhandled and the
 * record is kept for when iVvy is back. The decision is kept in {@value #DEAD_LETTERABLE} for the route's steps.
 */
public final class CircuitGuard {

    public static final String DEAD_LETTERABLE = "ivvyDeadLetterable";

    private final IvvyCircuit circuit;

    public CircuitGuard(IvvyCircuit circuit) {
        this.circuit = circuit;
    }

    public boolean deadLetterable(Exchange exchange) {
        boolean closed = circuit.isClosed();
        exchange.setProperty(DEAD_LETTERABLE, closed);
        return closed;
    }
}
