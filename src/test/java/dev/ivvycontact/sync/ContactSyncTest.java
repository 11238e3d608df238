package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Paging a window of getContactList without Kafka: each id once, by meta, safe against a list that shrinks. */
class ContactSyncTest {

    private static final Instant FROM = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-29T11:00:00Z");
    private static final SyncWindow WINDOW = new SyncWindow(FROM, TO);

    private final List<Long> written = new ArrayList<>();
    private final ContactSync.PageWriter writer = (window, contacts) -> contacts.forEach(c -> written.add(c.id()));

    @Test
    void aWindowIsPagedByWhatIvvyServedNotByWhatWasAsked() throws Exception {
        FakeContactList ivvy = account(1_000, 50);
        ContactSync.Result result = new ContactSync(ivvy, 100).run(WINDOW, writer, line -> { });

        assertThat(written).containsExactlyElementsOf(ivvy.listed(FROM, TO));
        assertThat(result).isEqualTo(new ContactSync.Result(20, 1_000));
        assertThat(ivvy.requests()).extracting(ContactListRequest::start)
                .containsExactlyElementsOf(LongStream.range(0, 20).map(page -> page * 50).boxed().toList());
        assertThat(ivvy.requests()).allSatisfy(request -> {
            assertThat(request.perPage()).isEqualTo(100);
            assertThat(request.from()).isEqualTo(FROM);
            assertThat(request.to()).isEqualTo(TO);
        });
    }

    @Test
    void contactsOutsideTheWindowAreNotListed() throws Exception {
        FakeContactList ivvy = account(30, 50);
        ivvy.modify(9_001, FROM.minusSeconds(1));
        ivvy.modify(9_002, TO.plusSeconds(1));
        ivvy.modify(9_003, TO);
        new ContactSync(ivvy, 100).run(WINDOW, writer, line -> { });
        assertThat(written).hasSize(31).contains(9_003L).doesNotContain(9_001L, 9_002L);
    }

    @Test
    void anEmptyWindowIsOnePage() throws Exception {
        FakeContactList ivvy = new FakeContactList(50);
        assertThat(new ContactSync(ivvy, 100).run(WINDOW, writer, line -> { })).isEqualTo(new ContactSync.Result(1, 0));
        assertThat(written).isEmpty();
    }

    @Test
    void contactsModifiedOutOfTheWindowWhilePagingMoveNothingPastUs() throws Exception {
        FakeContactList ivvy = account(200, 50);
        List<Long> before = ivvy.listed(FROM, TO);
        // After the second page, 20 contacts already read are modified again (now past the window's end): the rest
        // moves up by 20, and the 20 that would slide onto page two must still be read.
        ivvy.beforePage(page -> {
            if (page == 2) {
                before.subList(60, 80).forEach(id -> ivvy.modify(id, TO.plusSeconds(30)));
            }
        });
        ContactSync.Result result = new ContactSync(ivvy, 50).run(WINDOW, writer, line -> { });

        assertThat(written).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(before);
        assertThat(result.ids()).isEqualTo(200);
        assertThat(ivvy.requests()).extracting(ContactListRequest::start).containsExactly(0L, 50L, 100L, 80L, 130L);
    }

    @Test
    void aListThatGrowsWhilePagedWritesNoIdTwice() throws Exception {
        FakeContactList ivvy = account(120, 50);
        ivvy.beforePage(page -> {
            if (page == 1) {
                LongStream.rangeClosed(1, 10).forEach(id -> ivvy.modify(id + 5_000, FROM)); // listed first: all move down
            }
        });
        new ContactSync(ivvy, 50).run(WINDOW, writer, line -> { });
        assertThat(written).doesNotHaveDuplicates().hasSize(120);
    }

    @Test
    void aPageThatCantBeHadStopsTheRunAfterWhatWasWritten() {
        FakeContactList ivvy = account(200, 50);
        ContactListPages failingThirdPage = request -> {
            if (request.start() == 100) {
                throw new SyncFailedException("the page at 100 failed after 8 attempts", null);
            }
            return ivvy.fetch(request);
        };
        Throwable thrown = catchThrowable(() -> new ContactSync(failingThirdPage, 50).run(WINDOW, writer, line -> { }));
        assertThat(thrown).isInstanceOf(SyncFailedException.class).hasMessageContaining("page at 100");
        assertThat(written).hasSize(100);
    }

    /**
     * Issue 18, item 4: windows every 5 s with a 2-minute overlap list an unchanged contact again and again; it is
     * produced once. Changed again (a new modifiedDate), it is produced again; forgotten once no window can list it.
     */
    @Test
    void aContactListedAgainByTheOverlapUnchangedIsProducedOnce() throws Exception {
        FakeContactList ivvy = new FakeContactList(50);
        RecentlyProduced recently = new RecentlyProduced();
        ivvy.modify(12, FROM.plusSeconds(10));
        ivvy.modify(13, FROM.plusSeconds(11));
        for (int run = 0; run < 24; run++) {
            SyncWindow window = new SyncWindow(FROM.minusSeconds(120).plusSeconds(run * 5L), FROM.plusSeconds(20 + run * 5L));
            recently.forgetBefore(window.from());
            new ContactSync(ivvy, 100, recently).run(window, writer, line -> { });
            if (run == 10) {
                ivvy.modify(13, FROM.plusSeconds(60)); // edited again: listed with a new date
            }
        }
        assertThat(written).containsExactly(12L, 13L, 13L);
        recently.forgetBefore(FROM.plusSeconds(61));
        assertThat(recently.size()).as("bounded by the overlap").isZero();
    }

    /**
     * Issue 18, item A: a window listing 1,000 contacts, read in chunks of at most 100: every id produced once, each
     * chunk's ids held at most (plus its shared middle second), chunks handed on in time order with no gap between
     * them (each starts where the last ended), and a failure in a late chunk keeps what earlier chunks did.
     */
    @Test
    void aLargeWindowIsReadInChunksThatEachMoveOnAndMemoryIsBoundedByAChunk() throws Exception {
        FakeContactList ivvy = account(1_000, 50);
        RecentlyProduced recently = new RecentlyProduced();
        List<SyncWindow> chunks = new ArrayList<>();
        List<Long> idsPerChunk = new ArrayList<>();
        ContactSync.Result result = new ContactSync(ivvy, 100, recently).run(WINDOW, writer, line -> { }, 100,
                (chunk, done) -> {
                    chunks.add(chunk);
                    idsPerChunk.add(done.ids());
                    recently.forgetBefore(chunk.from());
                });

        assertThat(written).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ivvy.listed(FROM, TO));
        assertThat(result.ids()).isEqualTo(1_000);
        assertThat(chunks.size()).isGreaterThanOrEqualTo(10);
        assertThat(idsPerChunk).allSatisfy(ids -> assertThat(ids).isLessThanOrEqualTo(100));
        assertThat(chunks.get(0).from()).isEqualTo(FROM);
        assertThat(chunks.get(chunks.size() - 1).to()).isEqualTo(TO);
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).from()).as("no gap after chunk %d", i - 1).isEqualTo(chunks.get(i - 1).to());
        }
        assertThat(recently.size()).as("memory of one chunk or two, not of the window").isLessThanOrEqualTo(200);

        written.clear();
        List<SyncWindow> doneBeforeFailure = new ArrayList<>();
        ContactListPages failingLate = request -> {
            if (!request.from().isBefore(FROM.plusSeconds(450))) {
                throw new SyncFailedException("iVvy 503 on a late chunk", null);
            }
            return ivvy.fetch(request);
        };
        Throwable thrown = catchThrowable(() -> new ContactSync(failingLate, 100).run(WINDOW, writer, line -> { }, 100,
                (chunk, done) -> doneBeforeFailure.add(chunk)));
        assertThat(thrown).isInstanceOf(SyncFailedException.class);
        assertThat(doneBeforeFailure).isNotEmpty().allSatisfy(chunk -> assertThat(chunk.to()).isBeforeOrEqualTo(FROM.plusSeconds(450)));
    }

    /**
     * Issue 18, item B: an empty page while iVvy's total says more are listed never ends the window early (the rest
     * would be lost, and the watermark would pass them): the window fails and is read again.
     */
    @Test
    void anEmptyPageBeforeTheTotalFailsTheWindowInsteadOfEndingIt() {
        FakeContactList ivvy = account(200, 50);
        ContactListPages emptyThirdPage = request -> request.start() == 100
                ? new ContactListPage(200, 100, 0, List.of()) : ivvy.fetch(request);
        Throwable thrown = catchThrowable(() -> new ContactSync(emptyThirdPage, 50).run(WINDOW, writer, line -> { }));
        assertThat(thrown).isInstanceOf(SyncFailedException.class).hasMessageContaining("empty page at 100 of 200");
        assertThat(written).hasSize(100);
    }

    /**
     * Seeded: accounts of any size, any page cap, contacts leaving the window at random between pages (as a contact
     * modified during paging does). Against the model: no id written twice, nothing written that was never in the
     * window, and every contact in the window from start to end written.
     */
    @Test
    void randomAccountsAndModificationsAgainstTheModel() throws Exception {
        for (long seed = 1; seed <= 500; seed++) {
            Random random = new Random(seed);
            int size = random.nextInt(400);
            int cap = 1 + random.nextInt(60);
            FakeContactList ivvy = account(size, cap);
            Set<Long> everListed = new HashSet<>(ivvy.listed(FROM, TO));
            double leaveChance = random.nextDouble() * 0.3;
            ivvy.beforePage(page -> {
                for (Long id : ivvy.listed(FROM, TO)) {
                    if (random.nextDouble() < leaveChance / Math.max(1, size / 10.0)) {
                        ivvy.modify(id, TO.plusSeconds(1 + random.nextInt(60)));
                    }
                }
            });
            written.clear();
            ContactSync.Result result = new ContactSync(ivvy, 1 + random.nextInt(120)).run(WINDOW, writer, line -> { });

            String context = "seed " + seed + ", " + size + " contacts, cap " + cap;
            assertThat(written).as(context).doesNotHaveDuplicates();
            assertThat(everListed).as(context).containsAll(written);
            assertThat(written).as(context).containsAll(ivvy.listed(FROM, TO));
            assertThat(result.ids()).as(context).isEqualTo(written.size());
        }
    }

    /** {@code size} contacts modified in the window, several in the same second (iVvy's resolution). */
    private static FakeContactList account(int size, int cap) {
        FakeContactList ivvy = new FakeContactList(cap);
        for (long id = 1; id <= size; id++) {
            ivvy.modify(id * 3, FROM.plusSeconds(id * 7 % 600));
        }
        return ivvy;
    }
}
