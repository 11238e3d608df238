package dev.ivvycontact.consumer;

/**
 * This instance's hold on one assigned partition, given up in two steps. Closing: no new round of its records starts
 * (those queued, held or waiting to retry are let go), while the rounds already running may finish and publish.
 * Revoked: nothing more is published for it. Between the two the consumer waits, up to its drain timeout, for the
 * running rounds, so that the offsets committed on the way out include them; after revocation the partition's next
 * owner alone publishes its records.
 */
final class PartitionLease {

    private enum State { HELD, CLOSING, REVOKED }

    private State state = State.HELD;
    private int running;

    /** A round of one of its records starts; false when the partition is being given up. */
    synchronized boolean tryStartRound() {
        if (state != State.HELD) {
            return false;
        }
        running++;
        return true;
    }

    /** The round ended (after its record was marked finished, if it was). */
    synchronized void roundEnded() {
        running--;
        if (running == 0) {
            notifyAll();
        }
    }

    synchronized boolean held() {
        return state == State.HELD;
    }

    /** May a running round still publish? Until the revocation, yes. */
    synchronized boolean mayPublish() {
        return state != State.REVOKED;
    }

    synchronized void close() {
        if (state == State.HELD) {
            state = State.CLOSING;
        }
    }

    synchronized void revoke() {
        state = State.REVOKED;
    }

    /** Waits until no round is running, up to the deadline on {@code clock}; true when none is. */
    synchronized boolean awaitIdle(MonotonicClock clock, long deadlineNanos) throws InterruptedException {
        while (running > 0) {
            long left = deadlineNanos - clock.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
