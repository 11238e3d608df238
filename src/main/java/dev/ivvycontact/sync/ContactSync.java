package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Lists one window of changed contacts page by page and hands each id on once, each page's ids written (and
 * acknowledged, see {@link InputTopicWriter}) before the next page is asked for.
 *
 * <p>The window is fixed and already past, so while it is read its list can only shrink (a contact modified meanwhile
 * leaves it, for the next window). Pages follow what iVvy's meta says; when the total shrinks, the next page starts
 * that much earlier, so nothing that moved up over a page boundary is missed; ids seen already in the window are
 * skipped. Should the list grow (a clock behind ours), later entries only move down: seen twice, written once.
 */
public final class ContactSync {

    /** Where a page's new ids go; returns once they are safely written. */
    @FunctionalInterface
    public interface PageWriter {
        void write(SyncWindow window, List<ContactListPage.Listed> contacts) throws SyncFailedException;
    }

    private final ContactListPages pages;
    private final int perPage;
    private final RecentlyProduced recently;

    /** {@code perPage}: asked of iVvy, which may serve fewer. */
    public ContactSync(ContactListPages pages, int perPage) {
        this(pages, perPage, new RecentlyProduced());
    }

    /** {@code recently}: what earlier windows produced, skipped when listed again unchanged (the overlap). */
    public ContactSync(ContactListPages pages, int perPage, RecentlyProduced recently) {
        this.pages = pages;
        this.perPage = perPage;
        this.recently = recently;
    }

    /**
     * What a window produced: pages read (a page read again after a shrink counts again) and distinct ids written
     * (those an earlier window produced unchanged are not).
     */
    public record Result(int pages, long ids) {
    }

    /** Hands every contact changed in {@code window} to {@code writer} once, telling {@code progress} each page. */
    public Result run(SyncWindow window, PageWriter writer, Consumer<String> progress) throws SyncFailedException {
        Set<Long> seen = new HashSet<>();
        long producedCount = 0;
        int pageCount = 0;
        long start = 0;
        long total = -1;
        while (true) {
            ContactListPage page = pages.fetch(new ContactListRequest(window.from(), window.to(), start, perPage));
            pageCount++;
            if (total >= 0 && page.totalResults() < total) {
                // Contacts left the window since the last page: what followed them moved up, maybe onto that page.
                long back = Math.min(total - page.totalResults(), start);
                progress.accept("the window lost " + (total - page.totalResults()) + " contacts while read: reading on from "
                        + (start - back));
                total = page.totalResults();
                start -= back;
                continue;
            }
            total = page.totalResults();
            List<ContactListPage.Listed> fresh = new ArrayList<>();
            for (ContactListPage.Listed contact : page.results()) {
                if (seen.add(contact.id()) && !recently.alreadyProduced(contact)) {
                    fresh.add(contact);
                }
            }
            writer.write(window, fresh);
            fresh.forEach(recently::produced);
            producedCount += fresh.size();
            progress.accept("page at " + start + ": " + page.results().size() + " listed, " + fresh.size() + " new, "
                    + seen.size() + " of " + total + " so far");
            start += page.count();
            if (start >= total) {
                return new Result(pageCount, producedCount);
            }
            if (page.count() == 0) {
                // iVvy says there is more but served nothing: ending here would drop the rest of the window unread.
                throw new SyncFailedException("iVvy served an empty page at " + start + " of " + total
                        + " listed; the window is read again by the next run", null);
            }
        }
    }
}
