package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the change capture (windows, chunks, the overlap's memory, the watermark's rules, leadership and its
 * epochs) against a simulated iVvy list, over thousands of seeded interleavings of edits, pages read while contacts
 * change, changes that become visible late (up to the overlap), runs that crash between pages or before a page is
 * acknowledged, leader changes and a former leader that keeps running. Checked at every watermark written: it never
 * passes iVvy's present, its epoch never goes back, and every edit before it less the overlap (where the next window
 * starts) has been produced, as it is or in a later state, unless a later state still lies ahead of that point. At the
 * end, with edits stopped, every contact's latest state has been produced.
 */
class SyncModelTest {

    private static final int RUNS = 300;
    private static final int STEPS = 150;
    private static final Duration OVERLAP = Duration.ofSeconds(20);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    @Test
    void seededInterleavingsNeverLoseAnEditNorPassThePresent() throws Exception {
        for (long seed = 1; seed <= RUNS; seed++) {
            try {
                new Run(seed).play();
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Run {

        private final Random random;
        private final MutableClock ivvyClock = new MutableClock(T0);
        /** Each contact's states: when modified, and when that state shows in the list. */
        private final Map<Long, List<Version>> contacts = new HashMap<>();
        private final List<Version> edits = new ArrayList<>();
        private final Map<Long, List<Instant>> produced = new HashMap<>();
        private final Store store = new Store();
        private final List<Member> members = new ArrayList<>();
        private Member leader;
        private Member zombie;
        private int generation;

        Run(long seed) {
            random = new Random(seed);
            leader = newMember();
        }

        void play() throws Exception {
            for (int step = 0; step < STEPS; step++) {
                int choice = random.nextInt(100);
                if (choice < 35) {
                    ivvyClock.advance(Duration.ofMillis(random.nextInt(4000)));
                } else if (choice < 60) {
                    edit();
                } else if (choice < 85) {
                    runSync(leader);
                } else if (choice < 92) {
                    changeLeader(random.nextBoolean());
                } else if (zombie != null) {
                    runSync(zombie); // a former leader that never noticed: fenced once the new leader has written
                }
            }
            // Edits stop; time passes beyond every late visibility; the leader's windows catch up.
            ivvyClock.advance(OVERLAP.plus(SETTLE).plusSeconds(5));
            for (int i = 0; i < 4; i++) {
                runSync(leader, false);
                ivvyClock.advance(Duration.ofSeconds(3));
            }
            for (Map.Entry<Long, List<Version>> contact : contacts.entrySet()) {
                Instant latest = contact.getValue().get(contact.getValue().size() - 1).modified();
                assertThat(produced.getOrDefault(contact.getKey(), List.of()))
                        .as("contact %d's latest state (%s) produced", contact.getKey(), latest).contains(latest);
            }
        }

        private Member newMember() {
            SyncLeadership leadership = new SyncLeadership(Duration.ZERO);
            leadership.assignmentChanged(Set.of(new TopicPartition("in", 0)), 1, ++generation);
            SyncRun run = new SyncRun(new SyncRun.Settings("in", OVERLAP, SETTLE, Duration.ofMinutes(30), 1 + random.nextInt(6),
                    2 + random.nextInt(12), Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(2)), 3), store,
                    new Properties(), new IvvyCircuit(20, Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                    Clock.systemUTC()), leadership, new LookupTracing(OpenTelemetry.noop(), "g", "http://ivvy"),
                    new PipelineMetrics(new SimpleMeterRegistry()), ivvyClock);
            Member member = new Member(leadership, run);
            members.add(member);
            return member;
        }

        /** Partition 0 moves to a new member; the old one learns of it, or (a frozen one) does not. */
        private void changeLeader(boolean oldNotices) {
            Member old = leader;
            if (oldNotices) {
                old.leadership().assignmentChanged(Set.of(), 1, 1);
            } else {
                zombie = old;
            }
            leader = newMember();
        }

        private void edit() {
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                long id = 1 + random.nextInt(40);
                Instant modified = ivvyClock.instant().truncatedTo(ChronoUnit.SECONDS);
                // Visible in the list at once, or later (a long transaction, a replica), never later than the overlap.
                Instant visible = modified.plusMillis(random.nextInt(5) == 0 ? random.nextInt((int) OVERLAP.toMillis()) : 0);
                Version version = new Version(id, modified, visible);
                List<Version> versions = contacts.computeIfAbsent(id, k -> new ArrayList<>());
                if (versions.isEmpty() || versions.get(versions.size() - 1).modified().isBefore(modified)) {
                    versions.add(version);
                    edits.add(version);
                }
            }
        }

        private void runSync(Member member) {
            runSync(member, true);
        }

        private void runSync(Member member, boolean faults) {
            SyncWindow window;
            try {
                window = member.run().dueWindow();
            } catch (RuntimeException e) {
                throw new AssertionError(e);
            }
            ContactListPages pages = request -> {
                if (faults && random.nextInt(12) == 0) {
                    throw new SyncFailedException("iVvy 503 after attempts", null);
                }
                if (faults && random.nextInt(4) == 0) {
                    edit(); // contacts change while the window is read
                }
                ivvyClock.advance(Duration.ofMillis(random.nextInt(300)));
                return list(request);
            };
            ContactSync.PageWriter writer = (w, listed) -> {
                if (faults && random.nextInt(15) == 0) {
                    throw new SyncFailedException("Kafka did not acknowledge", null); // a crash before the ack
                }
                for (ContactListPage.Listed contact : listed) {
                    produced.computeIfAbsent(contact.id(), k -> new ArrayList<>())
                            .add(ContactListRequest.IVVY_UTC.parse(contact.modifiedDate(), Instant::from));
                }
            };
            try {
                member.run().produce(window, pages, writer, false, line -> { });
            } catch (SyncFailedException e) {
                // the run fails; its watermark stays where the last chunk left it
            }
        }

        /** iVvy's list: each contact's latest visible state modified in the window, by modified date then id. */
        private ContactListPage list(ContactListRequest request) {
            Instant now = ivvyClock.instant();
            List<Version> window = new ArrayList<>();
            for (List<Version> versions : contacts.values()) {
                versions.stream().filter(v -> !v.visible().isAfter(now)).reduce((a, b) -> b)
                        .filter(v -> !v.modified().isBefore(request.from()) && !v.modified().isAfter(request.to()))
                        .ifPresent(window::add);
            }
            window.sort(Comparator.comparing(Version::modified).thenComparing(Version::id));
            int from = (int) Math.min(request.start(), window.size());
            int to = Math.min(from + Math.min(request.perPage(), 7), window.size());
            List<ContactListPage.Listed> results = window.subList(from, to).stream()
                    .map(v -> new ContactListPage.Listed(v.id(), ContactListRequest.IVVY_UTC.format(v.modified()))).toList();
            return new ContactListPage(window.size(), request.start(), results.size(), results);
        }

        /** The checks at every watermark written. */
        private void checkWritten(SyncState state) {
            assertThat(state.windowEnd()).as("the watermark never passes the present").isBeforeOrEqualTo(ivvyClock.instant());
            Instant resumeFrom = state.windowEnd().minus(OVERLAP);
            for (Version edit : edits) {
                if (edit.modified().isAfter(resumeFrom)) {
                    continue; // the next window still covers it
                }
                List<Version> versions = contacts.get(edit.id());
                boolean laterAhead = versions.stream().anyMatch(v -> v.modified().isAfter(resumeFrom));
                boolean producedSince = produced.getOrDefault(edit.id(), List.of()).stream()
                        .anyMatch(date -> !date.isBefore(edit.modified()));
                assertThat(producedSince || laterAhead).as("%s before %s less the overlap, never produced", edit,
                        state.windowEnd()).isTrue();
            }
        }

        /** The sync-state topic, in memory, moved by the same rule as the real one. */
        private final class Store implements Watermarks {

            private Optional<SyncState> stored = Optional.empty();

            @Override
            public Optional<SyncState> read() {
                return stored;
            }

            @Override
            public Optional<SyncState> advance(SyncState window) throws SyncFailedException {
                Optional<SyncState> next = SyncStateStore.next(stored, window, ivvyClock.instant());
                if (next.isPresent()) {
                    long before = stored.map(SyncState::epoch).orElse(0L);
                    assertThat(next.get().epoch()).as("the epoch never goes back").isGreaterThanOrEqualTo(before);
                    stored = next;
                    checkWritten(next.get());
                }
                return stored;
            }
        }
    }

    private record Member(SyncLeadership leadership, SyncRun run) {
    }

    private record Version(long id, Instant modified, Instant visible) {
    }

    /** iVvy's clock, moved by the test. */
    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
