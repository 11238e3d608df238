package dev.ivvycontact.client;

import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.context.Context;

/** The {@link CallHistory} of work that is only its calls (a page of the contact list): counted, in a given trace. */
public final class CallCount implements CallHistory {

    private final Context trace;
    private int attempts;

    public CallCount(Context trace) {
        this.trace = trace;
    }

    @Override
    public void callStarting(IvvyCircuit.Mark circuit) {
        attempts++;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public Context traceContext() {
        return trace;
    }
}
