package dev.ivvycontact.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Which of the topics the pipeline writes to the cluster says do not exist, asked with the admin client. Many
 * lookups fail together when a topic is missing or a broker away, so one answer serves them all for a while. When
 * the cluster can't say (a timeout), none are missing: the failure then counts as transient.
 */
public final class MissingTopics extends ServiceSupport implements Supplier<Set<String>> {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REUSED_FOR = Duration.ofSeconds(5);

    private final Properties clientProperties;
    private final Collection<String> topics;
    private Admin admin;
    private Set<String> lastMissing = Set.of();
    private long lastCheckNanos;
    private boolean checked;

    /** {@code topics}: every topic the pipeline writes to. */
    public MissingTopics(Properties clientProperties, Collection<String> topics) {
        this.clientProperties = clientProperties;
        this.topics = List.copyOf(topics);
    }

    @Override
    public synchronized Set<String> get() {
        long now = System.nanoTime();
        if (!checked || now - lastCheckNanos > REUSED_FOR.toNanos()) {
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

    @Override
    protected synchronized void doStop() {
        if (admin != null) {
            admin.close(CHECK_TIMEOUT);
            admin = null;
        }
    }
}
