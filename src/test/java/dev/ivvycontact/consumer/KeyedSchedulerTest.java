package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedSchedulerTest {

    private final List<String> started = new ArrayList<>();
    private final KeyedScheduler<String> scheduler = new KeyedScheduler<>(started::add);

    @Test
    void oneTaskPerKeyAtATimeInSubmissionOrder() {
        scheduler.submit("a", "a1");
        scheduler.submit("a", "a2");
        scheduler.submit("b", "b1");
        scheduler.submit("a", "a3");
        assertThat(started).containsExactly("a1", "b1");
        scheduler.completed("a");
        assertThat(started).containsExactly("a1", "b1", "a2");
        scheduler.completed("b");
        scheduler.completed("a");
        scheduler.completed("a");
        assertThat(started).containsExactly("a1", "b1", "a2", "a3");
        assertThat(scheduler.busyKeys()).isZero();
    }

    @Test
    void aKeyIsFreeAgainOnceItsLastTaskCompleted() {
        scheduler.submit("a", "a1");
        scheduler.completed("a");
        scheduler.submit("a", "a2");
        assertThat(started).containsExactly("a1", "a2");
    }

    @Test
    void completingAnIdleKeyIsABug() {
        assertThatThrownBy(() -> scheduler.completed("nobody")).isInstanceOf(IllegalStateException.class);
    }
}
