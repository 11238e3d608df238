package dev.ivvycontact.resilience;

import dev.ivvycontact.client.SystemicIvvyFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether iVvy answers at all. It opens on a failure every message would meet alike (credentials, clock, base URL,
 * unreachable), on a run of transient failures across different contacts, or when a contact ran out of attempts
 * while iVvy answered nobody. While open, lookups are held ({@link CircuitGate}); after the probe delay one lookup
 * goes through (half open). The first answer from iVvy closes it, and so does a 429: iVvy throttling is iVvy up (the
 * rate limiter waits its Retry-After), so a throttled probe never stretches an outage by the probe delay. A probe that
 * ends without any answer (its record let go, say) opens it again with the same delay, so a probe can never be lost.
 * One log line per change of state.
 *
 * <p>Evidence that iVvy answers is counted, not timed: a {@link Mark} taken when a call starts says how many answers
 * iVvy had given and how many times the circuit had closed, so "answered since" and "since iVvy came back" need no
 * clock at all.
 */
public final class IvvyCircuit {

    /** The states, in the order of their gauge values. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private static final Logger LOG = LoggerFactory.getLogger(IvvyCircuit.class);

    private final int transientRunToOpen;
    private final Backoff probeBackoff;
    private final Clock clock;
    private final CopyOnWriteArrayList<Consumer<State>> listeners = new CopyOnWriteArrayList<>();

    // Written under the lock; the volatile ones are read without it, on the path of every call.
    private volatile State state = State.CLOSED;
    private String reason = "";
    private boolean openForEveryCall;
    private Instant since;
    private int failedProbes;
    private long episode;
    private final AtomicLong answers = new AtomicLong();
    private volatile long closings;
    private volatile int transientRun;
    private final Set<Long> contactsInRun = new HashSet<>();

    /**
     * @param transientRunToOpen transient call failures in a row, with no answer between and over two contacts or
     *                           more, that open the circuit
     * @param probeBackoff       the delay before each probe, by how many probes in a row have failed
     */
    public IvvyCircuit(int transientRunToOpen, Backoff probeBackoff, Clock clock) {
        this.transientRunToOpen = transientRunToOpen;
        this.probeBackoff = probeBackoff;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Called on every change of state, outside the circuit's lock. */
    public void onChange(Consumer<State> listener) {
        listeners.add(listener);
    }

    public State state() {
        return state;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Why it is open, and since when; empty when closed. */
    public synchronized String reason() {
        return state == State.CLOSED ? "" : reason + " (since " + since + ")";
    }

    /** How long to wait before the next probe. */
    public synchronized Duration probeDelay() {
        return probeBackoff.delay(failedProbes + 1);
    }

    /** Which half-open spell this is: a probe belongs to one. */
    public synchronized long episode() {
        return episode;
    }

    /** Where iVvy stands as a call starts: compare it with a later {@link #answeredSince} or {@link Mark#spell()}. */
    public Mark mark() {
        return new Mark(closings, answers.get());
    }

    /** True when iVvy answered some call that ended after {@code mark} was taken: evidence that it is up. */
    public boolean answeredSince(Mark mark) {
        return answers.get() > mark.answers();
    }

    /** iVvy answered with its own JSON (a contact, or the message's fault): it is up, and that is evidence. */
    public void answered() {
        answers.incrementAndGet();
        up();
    }

    /**
     * iVvy answered 429: it is up, so the circuit closes (or stays closed, its run of failures broken), but a 429 is
     * no evidence that another contact's failure is that contact's own. The rate limiter holds every call for the
     * Retry-After.
     */
    public void throttled() {
        up();
    }

    /**
     * iVvy answered a call that is no lookup (a contact-list page): the key, the clock and the network are fine, so a
     * circuit opened for one of those (a failure every call meets) closes; one opened because lookups kept failing
     * stays open, since only a lookup's answer shows lookups work again. No evidence is counted either way.
     */
    public void reachable() {
        if (state == State.CLOSED) {
            return;
        }
        transition(() -> state != State.CLOSED && openForEveryCall ? closed() : null);
    }

    private void up() {
        if (state == State.CLOSED && transientRun == 0) {
            return; // the usual case, and no lock on the way of every call
        }
        transition(() -> {
            transientRun = 0;
            contactsInRun.clear();
            return state == State.CLOSED ? null : closed();
        });
    }

    private State closed() {
        failedProbes = 0;
        LOG.info("iVvy answers again after {} s: circuit CLOSED, lookups resume",
                Duration.between(since, clock.instant()).toSeconds());
        return State.CLOSED;
    }

    /** A call failed as classified: a systemic failure opens the circuit, a transient one counts toward a run. */
    public void callFailed(long contactId, Exception failure) {
        boolean systemic = failure instanceof SystemicIvvyFailure;
        transition(() -> switch (state) {
            case HALF_OPEN -> reopen("probe failed: " + failure.getMessage(), systemic);
            case OPEN -> null;
            case CLOSED -> {
                if (systemic) {
                    yield open(failure.getMessage(), true);
                }
                transientRun++;
                contactsInRun.add(contactId);
                yield transientRun >= transientRunToOpen && contactsInRun.size() >= 2
                        ? open(transientRun + " transient failures in a row over " + contactsInRun.size()
                                + " contacts, the last: " + failure.getMessage(), false)
                        : null;
            }
        });
    }

    /** A contact ran out of attempts and iVvy answered nobody meanwhile: iVvy itself looks down. */
    public void unansweredFor(String why) {
        transition(() -> state == State.CLOSED ? open(why, false) : null);
    }

    /** The probe delay has passed: let one lookup through. */
    public void startProbe() {
        transition(() -> {
            if (state != State.OPEN) {
                return null;
            }
            episode++;
            LOG.info("iVvy circuit HALF_OPEN: probing with one lookup");
            return State.HALF_OPEN;
        });
    }

    /** The probe of that half-open spell ended without a call answered or failed: probe again after the delay. */
    public void probeEndedWithoutAnswer(long probeEpisode) {
        transition(() -> {
            if (state != State.HALF_OPEN || probeEpisode != episode) {
                return null;
            }
            LOG.info("iVvy circuit OPEN: the probe ended without a call; probing again in {} ms",
                    probeDelay().toMillis());
            return State.OPEN;
        });
    }

    /** {@code forEveryCall}: a failure any call meets (key, clock, network), which any answer from iVvy disproves. */
    private State open(String why, boolean forEveryCall) {
        reason = why;
        openForEveryCall = forEveryCall;
        since = clock.instant();
        failedProbes = 0;
        LOG.warn("iVvy circuit OPEN: {}. Lookups held, nothing dead-lettered; probing in {} ms", why,
                probeDelay().toMillis());
        return State.OPEN;
    }

    private State reopen(String why, boolean forEveryCall) {
        reason = why;
        openForEveryCall = openForEveryCall || forEveryCall;
        failedProbes++;
        LOG.warn("iVvy circuit OPEN again: {}; next probe in {} ms", why, probeDelay().toMillis());
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
            if (changedTo == State.CLOSED) {
                closings++;
            }
            transientRun = 0;
            contactsInRun.clear();
        }
        for (Consumer<State> listener : listeners) {
            try {
                listener.accept(changedTo);
            } catch (RuntimeException e) {
                // The call that changed the state must not fail for a listener, nor the other listeners miss it.
                LOG.error("A listener of the iVvy circuit failed on {}", changedTo, e);
            }
        }
    }

    /**
     * The circuit as a call found it. {@code spell}: how many times the circuit had closed (a new spell begins each
     * time iVvy comes back); {@code answers}: how many answers iVvy had given.
     */
    public record Mark(long spell, long answers) {
    }
}
