package dev.ivvycontact.consumer;

import java.util.function.Consumer;

/** Runs one round of a record (in the consumer: one exchange through the route) and reports its end, exactly once. */
@FunctionalInterface
interface RoundRunner {

    void run(InputRecord record, Consumer<RoundEnd> ended);
}
