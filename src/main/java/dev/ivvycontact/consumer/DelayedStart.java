package dev.ivvycontact.consumer;

import java.time.Duration;

/** Runs a task after a delay (a record's next round); a scheduled executor in production, a manual clock in tests. */
@FunctionalInterface
interface DelayedStart {

    void after(Duration delay, Runnable task);
}
