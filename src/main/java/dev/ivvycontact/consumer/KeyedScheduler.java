package dev.ivvycontact.consumer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Orders the tasks of one key one after another, in submission order, and lets tasks of different keys run at once.
 * A key is busy from its task's start until {@link #completed(String)}, which may come later and from any thread (a
 * lookup ends when Kafka acknowledges its outputs). It starts nothing itself: it says which task may start now, so
 * the caller keeps the one path into work (and a long line of tasks let go at once costs no stack).
 */
final class KeyedScheduler<T> {

    private final Map<String, ArrayDeque<T>> waiting = new HashMap<>();

    /** True when the task may start now (its key was free); otherwise it waits its turn. */
    synchronized boolean submit(String key, T task) {
        ArrayDeque<T> queue = waiting.get(key);
        if (queue != null) {
            queue.add(task);
            return false;
        }
        waiting.put(key, new ArrayDeque<>());
        return true;
    }

    /** The key's running task is done: returns its next task, which the key is now busy with, or null. */
    synchronized T completed(String key) {
        ArrayDeque<T> queue = waiting.get(key);
        if (queue == null) {
            throw new IllegalStateException("no task of key " + key + " is running");
        }
        T next = queue.poll();
        if (next == null) {
            waiting.remove(key);
        }
        return next;
    }

    /** Keys with a task running (for tests and health). */
    synchronized int busyKeys() {
        return waiting.size();
    }
}
