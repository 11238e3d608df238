package dev.ivvycontact.consumer;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Told, on the poll thread, whenever the partitions this instance holds change (and when it stops holding any). */
@FunctionalInterface
public interface AssignmentListener {

    /**
     * {@code held}: the topic's partitions held now; {@code partitionsOfTopic}: how many the topic has (0: not known
     * yet); {@code generation}: the consumer group's generation this assignment belongs to, which only grows (a
     * fencing token: whatever a member gained in a later generation, no member of an earlier one holds any more).
     */
    void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic, int generation);
}
