package dev.ivvycontact.pipeline;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Tells a Kafka write failure that will fail the same way every time (a record over the size limit, a topic that is
 * missing or not authorized) from one a retry can cure (a broker away, a leader moving). A producer reports a missing
 * topic only as a metadata timeout, as it would a broker outage, so a timeout is permanent only when the cluster says
 * that one of the topics the failed sends went to does not exist: another topic missing says nothing about them.
 */
public final class KafkaPublishFailures {

    private final Supplier<Set<String>> missingTopics;

    /** {@code missingTopics}: the topics written to that the cluster says do not exist ({@link MissingTopics}). */
    public KafkaPublishFailures(Supplier<Set<String>> missingTopics) {
        this.missingTopics = missingTopics;
    }

    /**
     * Why the failure (or a cause of it) of sends to {@code topics} is permanent, in one line; empty when a retry may
     * succeed.
     */
    public Optional<String> permanent(Throwable failure, Collection<String> topics) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Optional<String> permanent = permanentItself(cause, topics);
            if (permanent.isPresent()) {
                return permanent;
            }
        }
        return Optional.empty();
    }

    private Optional<String> permanentItself(Throwable failure, Collection<String> topics) {
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
            return Optional.of("Kafka refused an output as too large (" + describe(failure) + ")");
        }
        if (failure instanceof TopicAuthorizationException denied) {
            return Optional.of("not authorized to write to " + new TreeSet<>(denied.unauthorizedTopics()));
        }
        if (failure instanceof InvalidTopicException || failure instanceof SerializationException) {
            return Optional.of("Kafka refused an output (" + describe(failure) + ")");
        }
        if ((failure instanceof TimeoutException || failure instanceof UnknownTopicOrPartitionException)
                && !topics.isEmpty()) {
            Set<String> missing = new TreeSet<>(missingTopics.get());
            missing.retainAll(topics);
            if (!missing.isEmpty()) {
                return Optional.of("topic " + String.join(", ", missing) + " does not exist (create it; see README)");
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
