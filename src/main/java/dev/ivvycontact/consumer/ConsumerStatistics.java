package dev.ivvycontact.consumer;

/** What a running keyed-kafka consumer can tell about itself, for health checks and meters. */
public interface ConsumerStatistics {

    String topic();

    int assignedPartitions();

    /** Records fetched and neither finished nor let go. */
    int recordsInMemory();

    /** Their keys' and values' bytes. */
    long bytesInMemory();

    /** Rounds running on the workers now (at most the endpoint's maxInFlight). */
    int roundsRunning();

    boolean fetchingPaused();

    boolean kafkaConnected();

    /** The largest lag of a held partition, in records. */
    double lag();

    /** Something that wants the statistics of each consumer of an endpoint when it starts (e.g. to make gauges). */
    @FunctionalInterface
    interface Listener {

        void started(ConsumerStatistics statistics);
    }
}
