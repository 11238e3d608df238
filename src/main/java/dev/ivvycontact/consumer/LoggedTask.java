package dev.ivvycontact.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task for a scheduled executor, which keeps what a task throws in a future nobody reads: here it is logged first,
 * with its stack trace, so no failure of a retry or a probe vanishes.
 */
public final class LoggedTask implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedTask.class);

    private final String what;
    private final Runnable task;

    private LoggedTask(String what, Runnable task) {
        this.what = what;
        this.task = task;
    }

    /** {@code what}: the task, as the log line names it ("the iVvy circuit's probe"). */
    public static Runnable of(String what, Runnable task) {
        return new LoggedTask(what, task);
    }

    @Override
    public void run() {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed", what, e);
            throw e;
        }
    }
}
