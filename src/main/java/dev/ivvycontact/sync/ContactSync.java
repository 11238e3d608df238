package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    /** What is done when a chunk of the window has been read and written whole (the watermark moved, say). */
    @FunctionalInterface
    public interface ChunkDone {
        void done(SyncWindow chunk, Result result) throws SyncFailedException;
    }

    /** Hands every contact changed in {@code window} to {@code writer} once, telling {@code progress} each page. */
    public Result run(SyncWindow window, PageWriter writer, Consumer<String> progress) throws SyncFailedException {
        return run(window, writer, progress, Long.MAX_VALUE, (chunk, result) -> { });
    }

    /**
     * The same, in chunks: a window iVvy lists more than {@code maxIds} in is cut in two halves of its time span (they
     * share the middle second, whose repeats {@link RecentlyProduced} skips), again until each lists at most that many
     * or spans two seconds or less; the chunks run in time order, each written whole and then handed to {@code done},
     * so memory is bounded by a chunk and a run that fails later keeps what earlier chunks did.
     */
    public Result run(SyncWindow window, PageWriter writer, Consumer<String> progress, long maxIds, ChunkDone done)
            throws SyncFailedException {
        Deque<SyncWindow> chunks = new ArrayDeque<>(List.of(window));
        int pageCount = 0;
        long produced = 0;
        while (!chunks.isEmpty()) {
            SyncWindow chunk = chunks.pop();
            Result result;
            try {
                result = runChunk(chunk, writer, progress, maxIds);
            } catch (TooLarge large) {
                pageCount++;
                Instant middle = middleOf(chunk);
                progress.accept("the window " + chunk.label() + " lists " + large.total + " contacts, over " + maxIds
                        + ": reading it in two halves, split at " + middle);
                chunks.push(new SyncWindow(middle, chunk.to()));
                chunks.push(new SyncWindow(chunk.from(), middle));
                continue;
            }
            done.done(chunk, result);
            pageCount += result.pages();
            produced += result.ids();
        }
        return new Result(pageCount, produced);
    }

    private static Instant middleOf(SyncWindow window) {
        return window.from().plus(Duration.between(window.from(), window.to()).dividedBy(2)).truncatedTo(ChronoUnit.SECONDS);
    }

    private static boolean splittable(SyncWindow window) {
        return Duration.between(window.from(), window.to()).compareTo(Duration.ofSeconds(2)) >= 0;
    }

    private Result runChunk(SyncWindow window, PageWriter writer, Consumer<String> progress, long maxIds)
            throws SyncFailedException, TooLarge {
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
            if (pageCount == 1 && total > maxIds && splittable(window)) {
                throw new TooLarge(total); // before anything is written: the halves are read instead
            }
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

    /** A chunk listing more than its bound, found on its first page. */
    private static final class TooLarge extends Exception {

        private final long total;

        TooLarge(long total) {
            super(null, null, false, false);
            this.total = total;
        }
    }
}
