package dev.ivvycontact.consumer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts the tasks of one key one after another, in submission order, and tasks of different keys at once. A key is
 * busy from its task's start until {@link #completed(String)}, which may come later and from any thread (a lookup
 * ends when Kafka acknowledges its outputs). How many run at once is the starter's business (the worker pool).
 */
final class KeyedScheduler<T> {

    private final Map<String, ArrayDeque<T>> waiting = new HashMap<>();
    private final Consumer<T> starter;

    KeyedScheduler(Consumer<T> starter) {
        this.starter = starter;
    }

    void submit(String key, T task) {
        synchronized (waiting) {
            ArrayDeque<T> queue = waiting.get(key);
            if (queue != null) {
                queue.add(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        starter.accept(task);
    }

    /** The key's running task is done: its next task, if any, starts. */
    void completed(String key) {
        T next;
        synchronized (waiting) {
            ArrayDeque<T> queue = waiting.get(key);
            if (queue == null) {
                throw new IllegalStateException("no task of key " + key + " is running");
            }
            next = queue.poll();
            if (next == null) {
                waiting.remove(key);
            }
        }
        if (next != null) {
            starter.accept(next);
        }
    }

    /** Keys with a task running (for tests and health). */
    int busyKeys() {
        synchronized (waiting) {
            return waiting.size();
        }
    }
}
