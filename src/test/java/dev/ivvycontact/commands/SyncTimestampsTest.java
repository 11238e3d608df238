package dev.ivvycontact.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyncTimestampsTest {

    private final SyncCommand.TimestampConverter converter = new SyncCommand.TimestampConverter();

    /** Issue 18, item 2: the form iVvy prints in modifiedDate, as an operator copies it from a contact. */
    @Test
    void ivvysOwnFormIsAccepted() {
        assertThat(converter.convert("2026-12-03 04:30:44 UTC")).isEqualTo(Instant.parse("2026-12-03T04:30:44Z"));
    }

    @Test
    void isoFormsAreAcceptedAndNonsenseIsAUsageError() {
        assertThat(converter.convert("2026-12-03")).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(converter.convert("2026-12-03T04:30:44")).isEqualTo(Instant.parse("2026-12-03T04:30:44Z"));
        assertThat(converter.convert("2026-12-03T14:30:44+10:00")).isEqualTo(Instant.parse("2026-12-03T04:30:44Z"));
        assertThatThrownBy(() -> converter.convert("yesterday")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("2026-11-01 09:30:00 UTC");
    }

    /** Issue 18, items 1 and G: --until and --reset-to never in the future; the present itself is fine. */
    @Test
    void aTimestampInTheFutureIsRefusedForTheWatermark() {
        Instant latest = Instant.parse("2026-12-03T04:30:00Z");
        assertThat(SyncCommand.notInTheFuture("--until", latest.plusSeconds(86_400), latest)).hasValueSatisfying(
                why -> assertThat(why).startsWith("--until 2026-12-04T04:30:00Z is in the future"));
        assertThat(SyncCommand.notInTheFuture("--reset-to", latest, latest)).isEmpty();
        assertThat(SyncCommand.notInTheFuture("--reset-to", latest.minusSeconds(1), latest)).isEmpty();
    }

    /** Issue 18, item 2: --help says the forms. */
    @Test
    void theHelpNamesIvvysForm() {
        String usage = new CommandLine(new SyncCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertThat(usage).contains("\"2026-11-01 09:30:00 UTC\"").contains("never in the future");
    }
}
