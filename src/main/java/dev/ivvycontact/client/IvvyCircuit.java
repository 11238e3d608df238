package dev.ivvycontact.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether iVvy is answering at all. A failure that every message would meet alike (credentials, clock, base URL,
 * unreachable), or a run of transient failures across different contacts, opens the circuit: consumption pauses and
 * nothing is dead-lettered. After a backoff one lookup goes through as a probe (half open); the first answer from
 * iVvy closes the circuit and consumption resumes. One log line per change of state.
 */
public final class IvvyCircuit {

    /** The states, in the order of their gauge values. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private static final Logger LOG = LoggerFactory.getLogger(IvvyCircuit.class);

    private final int transientRunToOpen;
    private final Duration firstProbeDelay;
    private final Duration maxProbeDelay;
    private final Clock clock;
    private final CopyOnWriteArrayList<Consumer<State>> listeners = new CopyOnWriteArrayList<>();

    private State state = State.CLOSED;
    private String reason = "";
    private Instant since;
    private Duration probeDelay;
    private int transientRun;
    private final Set<Long> contactsInRun = new HashSet<>();

    /**
     * @param transientRunToOpen transient call failures in a row, with no answer between and over two contacts or
     *                           more, that open the circuit
     */
    public IvvyCircuit(int transientRunToOpen, Duration firstProbeDelay, Duration maxProbeDelay, Clock clock) {
        this.transientRunToOpen = transientRunToOpen;
        this.firstProbeDelay = firstProbeDelay;
        this.maxProbeDelay = maxProbeDelay;
        this.probeDelay = firstProbeDelay;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Called on every change of state, outside the circuit's lock. */
    public void onChange(Consumer<State> listener) {
        listeners.add(listener);
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Why it is open, and since when; empty when closed. */
    public synchronized String reason() {
        return state == State.CLOSED ? "" : reason + " (since " + since + ")";
    }

    /** How long to wait before the next probe. */
    public synchronized Duration probeDelay() {
        return probeDelay;
    }

    /** iVvy answered with its own JSON (a contact, or the message's fault): it is up. */
    public void answered() {
        transition(() -> {
            transientRun = 0;
            contactsInRun.clear();
            if (state == State.CLOSED) {
                return null;
            }
            Duration down = Duration.between(since, clock.instant());
            probeDelay = firstProbeDelay;
            LOG.info("iVvy answers again after {} s: circuit CLOSED, resuming consumption", down.toSeconds());
            return State.CLOSED;
        });
    }

    /** A call failed as classified: a systemic failure opens the circuit, a transient one counts toward a run. */
    public void callFailed(long contactId, Exception failure) {
        if (failure instanceof SystemicIvvyFailure) {
            systemicFailure(failure.getMessage());
        } else {
            transientFailure(contactId, failure.getMessage());
        }
    }

    private void transientFailure(long contactId, String why) {
        transition(() -> {
            if (state == State.HALF_OPEN) {
                return reopen("probe failed: " + why);
            }
            if (state == State.OPEN) {
                return null;
            }
            transientRun++;
            contactsInRun.add(contactId);
            if (transientRun >= transientRunToOpen && contactsInRun.size() >= 2) {
                return open(transientRun + " transient failures in a row over " + contactsInRun.size()
                        + " contacts, the last: " + why);
            }
            return null;
        });
    }

    private void systemicFailure(String why) {
        transition(() -> switch (state) {
            case CLOSED -> open(why);
            case HALF_OPEN -> reopen("probe failed: " + why);
            case OPEN -> null;
        });
    }

    /** The probe delay has passed: let one lookup through. */
    public void startProbe() {
        transition(() -> {
            if (state != State.OPEN) {
                return null;
            }
            LOG.info("iVvy circuit HALF_OPEN: probing with one lookup");
            return State.HALF_OPEN;
        });
    }

    private State open(String why) {
        reason = why;
        since = clock.instant();
        probeDelay = firstProbeDelay;
        LOG.warn("iVvy circuit OPEN: {}. Consumption paused, nothing dead-lettered; probing in {} ms",
                why, probeDelay.toMillis());
        return State.OPEN;
    }

    private State reopen(String why) {
        reason = why;
        Duration doubled = probeDelay.multipliedBy(2);
        probeDelay = doubled.compareTo(maxProbeDelay) > 0 ? maxProbeDelay : doubled;
        LOG.warn("iVvy circuit OPEN again: {}; next probe in {} ms", why, probeDelay.toMillis());
        return State.OPEN;
    }

    private void transition(Supplier<State> change) {
        State changedTo;
        synchronized (this) {
            changedTo = change.get();
            if (changedTo == null || changedTo == state) {
                return;
            }
            state = changedTo;
            transientRun = 0;
            contactsInRun.clear();
        }
        listeners.forEach(listener -> listener.accept(changedTo));
    }
}
