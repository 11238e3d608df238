package dev.ivvycontact.consumer;

/**
 * Elapsed time for deadlines and intervals. Never the wall clock: an NTP step or a manual clock change must not
 * freeze commits or cut a drain short.
 */
@FunctionalInterface
public interface MonotonicClock {

    MonotonicClock SYSTEM = System::nanoTime;

    long nanoTime();
}
