package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contacts the change capture produced lately, by id and the modifiedDate iVvy listed: the next window's overlap
 * lists an unchanged contact again, and it is not produced again (each costs a lookup and four messages); a contact
 * changed since has another modifiedDate and is. Bounded by the overlap: what was modified before the next window
 * starts can't be listed again and is forgotten. Kept in memory by the member that runs the windows, so a new leader
 * produces the overlap once more, which is harmless.
 */
public final class RecentlyProduced {

    private final Map<Long, Instant> modified = new HashMap<>();

    /** True when this contact was produced with this very modifiedDate (a contact listed without one never is). */
    synchronized boolean alreadyProduced(ContactListPage.Listed contact) {
        return modifiedDate(contact).map(date -> date.equals(modified.get(contact.id()))).orElse(false);
    }

    synchronized void produced(ContactListPage.Listed contact) {
        modifiedDate(contact).ifPresent(date -> modified.put(contact.id(), date));
    }

    /** Forgets what was modified before {@code from}: no window from there on can list it again. */
    synchronized void forgetBefore(Instant from) {
        modified.values().removeIf(date -> date.isBefore(from));
    }

    synchronized int size() {
        return modified.size();
    }

    private static Optional<Instant> modifiedDate(ContactListPage.Listed contact) {
        try {
            return Optional.ofNullable(contact.modifiedDate()).map(text -> ContactListRequest.IVVY_UTC.parse(text, Instant::from));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // a date of another form: produced each time, never skipped wrongly
        }
    }
}
