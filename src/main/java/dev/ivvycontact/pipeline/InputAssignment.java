package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.AssignmentListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;

/** The input partitions this instance holds, passed on to whatever depends on them (the group's request budget). */
public final class InputAssignment implements AssignmentListener {

    private final List<AssignmentListener> listeners = new CopyOnWriteArrayList<>();

    public void onChange(AssignmentListener listener) {
        listeners.add(listener);
    }

    @Override
    public void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic, int generation) {
        listeners.forEach(listener -> listener.assignmentChanged(held, partitionsOfTopic, generation));
    }
}
