package dev.ivvycontact.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
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
 * topic only as a metadata timeout, as it would a broker outage, so a timeout is checked with the admin client: only
 * a topic the cluster says does not exist makes it permanent.
 */
public final class KafkaPublishFailures extends ServiceSupport {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    /** Many lookups fail together when a topic is missing or a broker away: one check answers them all for a while. */
    private static final Duration CHECK_REUSED_FOR = Duration.ofSeconds(5);

    private final Properties clientProperties;
    private final Collection<String> topics;
    private Admin admin;
    private Set<String> lastMissing = Set.of();
    private long lastCheckNanos;
    private boolean checked;

    /** {@code topics}: every topic the pipeline writes to. */
    public KafkaPublishFailures(Properties clientProperties, Collection<String> topics) {
        this.clientProperties = clientProperties;
        this.topics = List.copyOf(topics);
    }

    /** Why the failure (or a cause of it) is permanent, in one line; empty when a retry may succeed. */
    public Optional<String> permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Optional<String> permanent = permanentItself(cause);
            if (permanent.isPresent()) {
                return permanent;
            }
        }
        return Optional.empty();
    }

    private Optional<String> permanentItself(Throwable failure) {
        if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
            return Optional.of("Kafka refused an output as too large (" + describe(failure) + ")");
        }
        if (failure instanceof TopicAuthorizationException denied) {
            return Optional.of("not authorized to write to " + new TreeSet<>(denied.unauthorizedTopics()));
        }
        if (failure instanceof InvalidTopicException || failure instanceof SerializationException) {
            return Optional.of("Kafka refused an output (" + describe(failure) + ")");
        }
        if (failure instanceof TimeoutException || failure instanceof UnknownTopicOrPartitionException) {
            Set<String> missing = missingTopics();
            if (!missing.isEmpty()) {
                return Optional.of("topic " + String.join(", ", missing) + " does not exist (create it; see README)");
            }
        }
        return Optional.empty();
    }

    /** The topics the cluster says do not exist; none when it can't say (then the failure counts as transient). */
    private synchronized Set<String> missingTopics() {
        long now = System.nanoTime();
        if (!checked || now - lastCheckNanos > CHECK_REUSED_FOR.toNanos()) {
            lastMissing = askCluster();
            lastCheckNanos = System.nanoTime();
            checked = true;
        }
        return lastMissing;
    }

    private Set<String> askCluster() {
        if (admin == null) {
            Properties props = new Properties();
            props.putAll(clientProperties);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
            admin = Admin.create(props);
        }
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic
                : admin.describeTopics(topics).topicNameValues().entrySet()) {
            try {
                topic.getValue().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic.getKey());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Set.of();
            } catch (java.util.concurrent.TimeoutException e) {
                return Set.of();
            }
        }
        return missing;
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    @Override
    protected synchronized void doStop() {
        if (admin != null) {
            admin.close(CHECK_TIMEOUT);
            admin = null;
        }
    }
}
