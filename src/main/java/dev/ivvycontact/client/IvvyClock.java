package dev.ivvycontact.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * iVvy's clock, as its answers tell it: every answer carries an HTTP {@code Date}, so this is the local clock moved by
 * the offset the last answer showed (whole seconds, as the header has them). The change capture ends its windows by
 * it: the modified dates it lists are iVvy's, and a window ended by a local clock ahead of iVvy's would close before
 * iVvy has written what falls in its last seconds. Before any answer, it is the local clock.
 */
public final class IvvyClock extends Clock {

    private final Clock local;
    private volatile Duration offset = Duration.ZERO;

    public IvvyClock(Clock local) {
        this.local = local;
    }

    /** An answer came back with this {@code Date} header (RFC 1123); a missing or odd one changes nothing. */
    public void answered(String dateHeader) {
        if (dateHeader == null) {
            return;
        }
        try {
            Instant ivvy = DateTimeFormatter.RFC_1123_DATE_TIME.parse(dateHeader, Instant::from);
            // The header drops the milliseconds: compare with the local time to the second, so a clock in step shows 0.
            offset = Duration.between(local.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), ivvy);
        } catch (DateTimeParseException e) {
            // not iVvy's own answer (a proxy's page, say): no word on its clock
        }
    }

    /** How far iVvy's clock is ahead of ours (negative: behind), as the last answer showed. */
    public Duration offset() {
        return offset;
    }

    @Override
    public Instant instant() {
        return local.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // always UTC: iVvy's dates are
    }
}
