package dev.ivvycontact.client;

import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.context.Context;

/**
 * The calls made for one piece of work (an input record's lookup) across all its rounds: how many, when the first
 * went out, and the trace they belong to. Kept by the work's owner and handed to the call in the exchange property
 * {@value #PROPERTY}.
 */
public interface CallHistory {

    String PROPERTY = "ivvy.callHistory";

    /** A call is about to go out; {@code circuit}: where the iVvy circuit stood as it did. */
    void callStarting(IvvyCircuit.Mark circuit);

    /** Calls made so far. */
    int attempts();

    /** The trace context the calls belong to (each call's span is a child of it). */
    Context traceContext();
}
