package dev.ivvycontact.consumer;

/**
 * Says which records must keep their order. Records of one key run one at a time in fetch order, each through the
 * {@link RecordGate}; a record with no key (say, input refused before anything is called) runs at once. Called on
 * the poll thread: it must be quick, and may {@link InputRecord#attach attach} what it learned for the route.
 */
@FunctionalInterface
public interface RecordKeys {

    /** The record's ordering key, or null when it needs neither order nor the gate. */
    String keyOf(InputRecord record);

    /** The record has left memory (finished, or let go to be read again): the last word on it. */
    default void released(InputRecord record) {
    }
}
