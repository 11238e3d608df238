package dev.ivvycontact.pipeline.consumer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs tasks of one key one after another, in submission order, and tasks of different keys in parallel on the
 * executor. A task's key is released by {@link #completed(String)}, which may come later from another thread
 * (the lookup completes asynchronously, when Kafka acknowledges its outputs).
 */
final class KeyedSequencer {

    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    private final Executor executor;

    KeyedSequencer(Executor executor) {
        this.executor = executor;
    }

    void submit(String key, Runnable task) {
        synchronized (waiting) {
            ArrayDeque<Runnable> queue = waiting.get(key);
            if (queue != null) {
                queue.add(task);
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        executor.execute(task);
    }

    void completed(String key) {
        Runnable next;
        synchronized (waiting) {
            ArrayDeque<Runnable> queue = waiting.get(key);
            next = queue.poll();
            if (next == null) {
                waiting.remove(key);
            }
        }
        if (next != null) {
            executor.execute(next);
        }
    }
}
