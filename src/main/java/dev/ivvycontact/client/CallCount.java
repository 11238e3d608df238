package dev.ivvycontact.client;

import io.opentelemetry.context.Context;

/** The {@link CallHistory} of work that is only its calls (a page of the contact list): counted, in a given trace. */
public final class CallCount implements CallHistory {

    private final Context trace;
    private int attempts;
    private long firstCallNanos;

    public CallCount(Context trace) {
        this.trace = trace;
    }

    @Override
    public void callStarting(long nanoTime) {
        if (attempts++ == 0) {
            firstCallNanos = nanoTime;
        }
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public long firstCallNanos() {
        return firstCallNanos;
    }

    @Override
    public Context traceContext() {
        return trace;
    }
}
