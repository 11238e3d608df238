package dev.ivvycontact.sandbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which calls the sandbox fails, and with what, as tests set it: every call, the first calls of an id, or a share of
 * calls at random. Read by the server's threads while a test changes it.
 */
final class FaultPlan {

    private final Map<Long, AtomicInteger> scriptedFailures = new ConcurrentHashMap<>();
    private final Map<Long, Fault> scriptedFaults = new ConcurrentHashMap<>();
    private volatile double failureRate;
    private volatile List<Fault> randomFaults = List.of();
    private volatile Fault everyCall;

    /** Fails each call with one of {@code faults} (at random) with this probability; 0 stops it. */
    void setFailureRate(double rate, Fault... faults) {
        randomFaults = List.of(faults);
        failureRate = rate;
    }

    /** Fails every call with this fault; null stops it. */
    void failEverything(Fault fault) {
        everyCall = fault;
    }

    /** Fails the first {@code calls} getContact calls for the id with the fault. */
    void failFirst(long id, int calls, Fault fault) {
        scriptedFaults.put(id, fault);
        scriptedFailures.put(id, new AtomicInteger(calls));
    }

    /** No faults at all. */
    void clear() {
        setFailureRate(0);
        everyCall = null;
        scriptedFailures.clear();
        scriptedFaults.clear();
    }

    /** The fault every call meets now, if any (null: none). */
    Fault forEveryCall() {
        return everyCall;
    }

    /** The fault this getContact call for the id meets, if any (null: none); counts it against a scripted run. */
    Fault forContact(long contactId) {
        Fault everything = everyCall;
        if (everything != null) {
            return everything;
        }
        AtomicInteger scripted = scriptedFailures.get(contactId);
        if (scripted != null && scripted.getAndDecrement() > 0) {
            return scriptedFaults.get(contactId);
        }
        List<Fault> faults = randomFaults;
        if (failureRate > 0 && !faults.isEmpty() && ThreadLocalRandom.current().nextDouble() < failureRate) {
            return faults.get(ThreadLocalRandom.current().nextInt(faults.size()));
        }
        return null;
    }
}
