package dev.ivvycontact.client;

/**
 * The calls made for one piece of work (an input record's lookup) across all its rounds: how many, and when the first
 * went out. Kept by the work's owner and handed to the call in the exchange property {@value #PROPERTY}.
 */
public interface CallHistory {

    String PROPERTY = "ivvy.callHistory";

    /** A call is about to go out, at {@code nanoTime} (monotonic). */
    void callStarting(long nanoTime);

    /** Calls made so far. */
    int attempts();

    /** When the first call went out (monotonic); meaningless before it. */
    long firstCallNanos();
}
