package dev.ivvycontact.sync;

/** A sync run could not finish its window: nothing moves the watermark; the next run repeats the window. */
public class SyncFailedException extends Exception {

    public SyncFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
