package dev.ivvycontact.consumer;

/**
 * Decides when a keyed record's round may run: at once, or later (held while the service it calls is down). The
 * consumer hands every round of a keyed record to the gate; rounds of records without a key run at once.
 */
@FunctionalInterface
public interface RecordGate {

    /** A gate that never holds. */
    RecordGate OPEN = round -> round.start(GatePass.NONE);

    /** Starts the round now, or holds it and starts it later. */
    void admit(GatedRound round);

    /** True while the gate holds rounds back (the service they call is down): waiting for them is in vain. */
    default boolean holding() {
        return false;
    }

    /** Some held rounds may have stopped being {@link GatedRound#live() live}: {@link GatedRound#drop() drop} them now. */
    default void prune() {
    }

    /** One round of one record, as the gate sees it. */
    interface GatedRound {

        /**
         * Runs the round; the round closes {@code pass} when it has ended, however it ended (not started at all
         * included). Never throws: a round that can't start (its consumer stopped) is let go.
         */
        void start(GatePass pass);

        /** False once the round would do nothing if started (its partition is gone): no use as a probe. */
        boolean live();

        /** A round that is no longer {@link #live()} leaves the gate without running: its record is let go. */
        void drop();
    }

    /** What a gate learns when a round it let through has ended. */
    @FunctionalInterface
    interface GatePass {

        GatePass NONE = () -> { };

        void close();
    }
}
