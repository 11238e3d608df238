package dev.ivvycontact.client;

import io.opentelemetry.context.Context;

/**
 * The calls made for one piece of work (an input record's lookup) across all its rounds: how many, when the first
 * went out, and the trace they belong to. Kept by the work's owner and handed to the call in the exchange property
 * {@value #PROPERTY}.
 */
public interface CallHistory {

    String PROPERTY = "ivvy.callHistory";

    /** A call is about to go out, at {@code nanoTime} (monotonic). */
    void callStarting(long nanoTime);

    /** Calls made so far. */
    int attempts();

    /** When the first call went out (monotonic); meaningless before it. */
    long firstCallNanos();

    /** The trace context the calls belong to (each call's span is a child of it). */
    Context traceContext();
}
