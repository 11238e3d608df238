package dev.ivvycontact.consumer;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Told, on the poll thread, whenever the partitions this instance holds change (and when it stops holding any). */
@FunctionalInterface
public interface AssignmentListener {

    /** {@code held}: the topic's partitions held now; {@code partitionsOfTopic}: how many the topic has. */
    void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic);
}
