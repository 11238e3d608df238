package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Issue 18, item C: the change capture's windows end by iVvy's clock, as its answers' Date headers tell it. */
class IvvyClockTest {

    private final Clock local = Clock.fixed(Instant.parse("2026-12-03T04:30:40.750Z"), ZoneOffset.UTC);
    private final IvvyClock ivvy = new IvvyClock(local);

    @Test
    void beforeAnyAnswerItIsTheLocalClock() {
        assertThat(ivvy.instant()).isEqualTo(local.instant());
    }

    @Test
    void anAnswersDateMovesItByTheOffsetToTheSecond() {
        ivvy.answered("Thu, 3 Dec 2026 04:30:30 GMT");
        assertThat(ivvy.offset()).isEqualTo(Duration.ofSeconds(-10));
        assertThat(ivvy.instant()).isEqualTo(Instant.parse("2026-12-03T04:30:30.750Z"));
        ivvy.answered("Thu, 3 Dec 2026 04:30:40 GMT");
        assertThat(ivvy.offset()).as("in step, to the second").isZero();
    }

    @Test
    void aMissingOrOddDateChangesNothing() {
        ivvy.answered("Thu, 3 Dec 2026 04:31:10 GMT");
        ivvy.answered(null);
        ivvy.answered("yesterday");
        assertThat(ivvy.offset()).isEqualTo(Duration.ofSeconds(30));
    }
}
