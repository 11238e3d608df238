package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyedSchedulerTest {

    private final KeyedScheduler<String> scheduler = new KeyedScheduler<>();

    @Test
    void oneTaskPerKeyAtATimeInSubmissionOrder() {
        assertThat(scheduler.submit("a", "a1")).isTrue();
        assertThat(scheduler.submit("a", "a2")).isFalse();
        assertThat(scheduler.submit("b", "b1")).isTrue();
        assertThat(scheduler.submit("a", "a3")).isFalse();
        assertThat(scheduler.completed("a")).isEqualTo("a2");
        assertThat(scheduler.completed("b")).isNull();
        assertThat(scheduler.completed("a")).isEqualTo("a3");
        assertThat(scheduler.completed("a")).isNull();
        assertThat(scheduler.busyKeys()).isZero();
    }

    @Test
    void aKeyIsFreeAgainOnceItsLastTaskCompleted() {
        assertThat(scheduler.submit("a", "a1")).isTrue();
        assertThat(scheduler.completed("a")).isNull();
        assertThat(scheduler.submit("a", "a2")).isTrue();
    }

    @Test
    void completingAnIdleKeyIsABug() {
        assertThatThrownBy(() -> scheduler.completed("nobody")).isInstanceOf(IllegalStateException.class);
    }
}
