package dev.ivvycontact.testsupport;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;

/**
 * A real Kafka broker for tests, the demo and the benchmark: Testcontainers' Kafka where a Docker engine runs, and
 * otherwise Apache Kafka's own KRaft server inside this JVM. KAFKA_TEST_BROKER=embedded|container forces one.
 */
public interface KafkaTestBroker extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();

    /** Takes the broker away (clients see an outage) until {@link #resumeBroker()}; its address stays the same. */
    void stopBroker();

    void resumeBroker();

    static KafkaTestBroker start() {
        String forced = System.getenv().getOrDefault("KAFKA_TEST_BROKER", "");
        boolean container = forced.isEmpty() ? dockerAvailable() : forced.equals("container");
        return container ? ContainerKafkaBroker.start() : EmbeddedKafkaBroker.start();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    default Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
    }

    default void createTopics(int partitions, Collection<String> names) {
        createTopics(partitions, names, Map.of());
    }

    /** Creates the topics with these topic-level settings (e.g. {@code max.message.bytes}). */
    default void createTopics(int partitions, Collection<String> names, Map<String, String> configs) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = names.stream()
                    .map(name -> new NewTopic(name, partitions, (short) 1).configs(configs)).toList();
            admin.createTopics(topics).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("creating topics " + names + " failed", e.getCause());
        }
    }
}
