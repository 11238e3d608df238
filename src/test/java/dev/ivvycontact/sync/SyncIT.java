package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.RunningPipeline;
import dev.ivvycontact.testsupport.TopicReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change capture against a real broker and the sandbox over HTTP: the sync command's backfill, the timer route's
 * continuous sync in the pipeline, crashes, failures and two members of one group.
 */
class SyncIT extends PipelineTestBase {

    private static final String BACKFILL_FROM = "2026-01-01";
    private static final String BACKFILL_TO = "2026-11-01";

    private String stateTopic;

    @BeforeEach
    void stateTopic() {
        stateTopic = "sync-state-" + groupId;
        broker.createTopics(1, List.of(stateTopic), Map.of("cleanup.policy", "compact"));
    }

    @Test
    void aBackfillOfAThousandContactsProducesEachIdOnceThenTheContinuousSyncTakesOver() throws Exception {
        List<String> account = LongStream.rangeClosed(1, 1166).filter(SampleContacts::exists).mapToObj(Long::toString).toList();
        assertThat(account).hasSize(1_000);
        int listCallsBefore = sandbox.listCalls();

        Command dryRun = sync("--since", BACKFILL_FROM, "--until", BACKFILL_TO, "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).contains("Summary: 1000 ids would be produced over 20 pages, 20 iVvy calls");
        assertThat(readAll(topics.input())).isEmpty();
        assertThat(watermark()).isEmpty();

        Command backfill = sync("--since", BACKFILL_FROM, "--until", BACKFILL_TO);
        assertThat(backfill.exit()).as(backfill.output()).isZero();
        System.out.println("Backfill: " + backfill.output().lines().filter(line -> line.startsWith("Summary"))
                .findFirst().orElseThrow() + " (sandbox: at most 50 a page, 100 asked)");
        assertThat(sandbox.listCalls() - listCallsBefore).isEqualTo(40);

        List<ConsumerRecord<byte[], byte[]>> produced = readAll(topics.input());
        assertThat(produced).extracting(r -> text(r.key())).containsExactlyInAnyOrderElementsOf(account);
        assertThat(produced).allSatisfy(record -> {
            assertThat(text(record.value())).isEqualTo(text(record.key()));
            assertThat(header(record, "ivvy-sync-window")).isEqualTo("2026-01-01T00:00:00Z/2026-11-01T00:00:00Z");
            assertThat(header(record, "ivvy-modified-date")).matches("2026-(0\\d|10)-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        });
        SyncState state = watermark().orElseThrow();
        assertThat(state.windowEnd()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(state.ids()).isEqualTo(1_000);
        assertThat(state.pages()).isEqualTo(20);

        // Then the continuous sync: from the backfill's end on, every contact modified is produced again.
        startPipeline(syncEvery("1s"));
        Instant modifiedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sandbox.modify(List.of(5L, 6L, 8L), modifiedAt);
        String newDate = ContactListRequest.IVVY_UTC.format(modifiedAt);
        List<ConsumerRecord<byte[], byte[]>> again = readInput(r -> r.stream()
                .filter(record -> newDate.equals(header(record, "ivvy-modified-date"))).count() >= 3);
        // Every window reaching back over them (the overlap) lists them again; issue 18, item 4: each is produced once.
        Thread.sleep(3_000); // three more windows
        again = readAll(topics.input());
        assertThat(again.stream().filter(record -> newDate.equals(header(record, "ivvy-modified-date"))))
                .extracting(r -> text(r.key())).containsExactlyInAnyOrder("5", "6", "8");
        // ... and looked up by the pipeline: 1,000 contacts, then the three again showing their new date.
        List<ConsumerRecord<byte[], byte[]>> contacts = readAtLeast(topics.contacts(), 1_003);
        assertThat(contacts).extracting(r -> text(r.key())).containsAll(account);
        assertThat(contacts.stream().filter(r -> text(r.value()).contains(newDate))).extracting(r -> text(r.key()))
                .contains("5", "6", "8").containsOnly("5", "6", "8");
        assertThat(watermark().orElseThrow().windowEnd()).isAfter(modifiedAt);
    }

    @Test
    void contactsModifiedWhileTheWindowIsPagedAreNotLost() throws Exception {
        List<Long> ids = recentlyModified(5_000_001, 300);
        List<Long> readBefore = ids.subList(10, 35);
        List<Long> notReadYet = ids.subList(150, 175);
        AtomicBoolean once = new AtomicBoolean();
        // Once the second page is served, 25 contacts already read and 25 not read yet are modified again: they leave
        // the window, and the 25 after them on the third page slide up onto the second.
        sandbox.afterListPage(start -> {
            if (start == 50 && once.compareAndSet(false, true)) {
                List<Long> moved = new ArrayList<>(readBefore);
                moved.addAll(notReadYet);
                sandbox.modify(moved, Instant.now());
            }
        });
        // A watermark 90 s back and an overlap of a second: the first window holds the 300, the next ones only what
        // was modified since, so the first must hold every contact that stayed in it.
        Instant watermark = Instant.now().minus(Duration.ofSeconds(90)).truncatedTo(ChronoUnit.SECONDS);
        store().advance(new SyncState(watermark.minusSeconds(60), watermark, 0, 1, watermark, "test"));
        startPipeline(Map.of("sync.interval", "1s", "sync.overlap", "1s", "sync.settle", "1s", "topic.sync-state", stateTopic));

        List<ConsumerRecord<byte[], byte[]>> produced = readInput(records -> keys(records).size() == ids.size());
        assertThat(once).isTrue();
        Map<String, List<String>> byWindow = windows(produced);
        byWindow.forEach((window, inWindow) -> assertThat(inWindow).as(window).doesNotHaveDuplicates());
        String first = byWindow.keySet().stream().min(Comparator.comparing(SyncIT::windowEnd)).orElseThrow();
        List<String> rest = new ArrayList<>(strings(ids));
        rest.removeAll(strings(notReadYet));
        assertThat(byWindow.get(first)).as("the first window").containsExactlyInAnyOrderElementsOf(rest);
        assertThat(produced.stream().filter(r -> !first.equals(header(r, "ivvy-sync-window"))))
                .as("later windows").extracting(r -> text(r.key())).containsAll(strings(notReadYet)).containsAll(strings(readBefore));
    }

    private static Instant windowEnd(String label) {
        return Instant.parse(label.substring(label.indexOf('/') + 1));
    }

    /**
     * Issue 18, item G: an operator sees where the sync stands and moves the watermark without kcat; a reset to the
     * future is refused.
     */
    @Test
    void theStatusShowsTheWatermarkAndAResetMovesIt() throws Exception {
        Command future = sync("--reset-to", Instant.now().plus(Duration.ofDays(1)).toString());
        assertThat(future.exit()).as(future.output()).isEqualTo(2);
        assertThat(future.output()).contains("is in the future");
        assertThat(watermark()).isEmpty();

        Command reset = sync("--reset-to", "2026-11-01 09:30:00 UTC");
        assertThat(reset.exit()).as(reset.output()).isZero();
        assertThat(reset.output()).contains("none -> 2026-11-01T09:30:00Z");
        assertThat(watermark().orElseThrow().windowEnd()).isEqualTo(Instant.parse("2026-11-01T09:30:00Z"));

        Command status = sync("--status");
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("watermark '" + sandbox.baseUrl() + "' in " + stateTopic + ": 2026-11-01T09:30:00Z")
                .contains("completed").contains("by sync --reset-to").contains("leader: none: group " + groupId + " has no members");
    }

    @Test
    void aPipelineKilledMidWindowLosesNoIdWhenStartedAgain() throws Exception {
        List<Long> ids = recentlyModified(6_000_001, 600);
        sandbox.setLatency(Duration.ofMillis(300));
        Map<String, String> env = childEnvironment();
        env.put("SYNC_INTERVAL", "1s");
        env.put("SYNC_OVERLAP", "10m");
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "8000");

        int beforeKill;
        try (ChildJvm first = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            beforeKill = keys(readInput(records -> records.size() >= 100)).size();
            first.kill();
        }
        assertThat(beforeKill).isBetween(100, ids.size() - 1);
        assertThat(watermark()).as("no watermark past ids never produced").isEmpty();

        sandbox.setLatency(Duration.ZERO);
        try (ChildJvm second = ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run")) {
            List<ConsumerRecord<byte[], byte[]>> produced = readInput(records -> keys(records).size() == ids.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> watermark().isPresent());
            long twice = produced.size() - keys(produced).size();
            System.out.printf("Sync killed (SIGKILL) after %d of %d ids of its window: after the restart all %d, %d "
                    + "produced twice by the repeated window; watermark %s%n", beforeKill, ids.size(),
                    keys(produced).size(), twice, watermark().orElseThrow().windowEnd());
            assertThat(keys(produced)).containsExactlyInAnyOrderElementsOf(strings(ids));
            second.terminate(60);
        }
    }

    @Test
    void theWatermarkNeverPassesAnIdKafkaDidNotAcknowledge() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sandbox.modify(List.of(7_000_001L, 7_000_002L), now.minus(Duration.ofMinutes(30)));
        sandbox.modify(List.of(7_000_003L, 7_000_004L), now.minus(Duration.ofMinutes(5)));
        Instant until = now.minus(Duration.ofMinutes(10));
        Command first = sync("--since", now.minus(Duration.ofHours(1)).toString(), "--until", until.toString());
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(watermark().orElseThrow().windowEnd()).isEqualTo(until);

        // The next window's ids can't be written (the input topic is gone): the run fails, the watermark stays.
        Map<String, String> env = childEnvironment();
        env.put("TOPIC_INPUT", "no-such-topic-" + groupId);
        env.put("KAFKA_CLIENT_MAX_BLOCK_MS", "2000");
        Command refused = sync(env);
        assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("sync failed, the watermark is unchanged");
        assertThat(watermark().orElseThrow().windowEnd()).isEqualTo(until);

        Command repeated = sync();
        assertThat(repeated.exit()).as(repeated.output()).isZero();
        assertThat(keys(readAll(topics.input()))).containsExactlyInAnyOrder("7000001", "7000002", "7000003", "7000004");
        assertThat(watermark().orElseThrow().windowEnd()).isAfter(now.minus(Duration.ofMinutes(1)));
    }

    @Test
    void twoMembersOfTheGroupNeverSyncAtOnce() throws Exception {
        recentlyModified(8_000_001, 500);
        sandbox.setLatency(Duration.ofMillis(40));
        Member a = new Member();
        Member b = new Member();
        try (RunningPipeline first = a.start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.runs().size() >= 2);
            try (RunningPipeline second = b.start()) {
                Thread.sleep(5_000);
                first.close(); // partition 0, and the sync with it, moves to the second member
                await().atMost(Duration.ofSeconds(60)).until(() -> b.runs().size() >= 2);
            }
        }
        List<SpanData> runsOfA = a.runs();
        List<SpanData> runsOfB = b.runs();
        System.out.printf("Two members: %d runs on the first, then %d on the second; none at once%n",
                runsOfA.size(), runsOfB.size());
        for (SpanData runOfA : runsOfA) {
            for (SpanData runOfB : runsOfB) {
                boolean apart = runOfA.getEndEpochNanos() <= runOfB.getStartEpochNanos()
                        || runOfB.getEndEpochNanos() <= runOfA.getStartEpochNanos();
                assertThat(apart).as("%s and %s", describe(runOfA), describe(runOfB)).isTrue();
            }
        }
        assertThat(runsOfA).isNotEmpty();
        assertThat(runsOfB).isNotEmpty();
    }

    @Test
    void aRevokedKeyDuringARunKeepsTheWatermarkAndTheSyncFindsIvvyBackOnItsOwn() throws Exception {
        recentlyModified(9_000_001, 120);
        int port = FreePort.find();
        startPipeline(Map.of("sync.interval", "1s", "topic.sync-state", stateTopic, "management.port", Integer.toString(port)));
        await().atMost(Duration.ofSeconds(60)).until(() -> watermark().isPresent());
        Instant before = watermark().orElseThrow().windowEnd();

        AtomicBoolean revoked = new AtomicBoolean();
        sandbox.afterListPage(start -> {
            if (start == 50 && revoked.compareAndSet(false, true)) {
                sandbox.failEverything(Fault.KEY_REVOKED);
            }
        });
        JsonNode check = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> healthCheck(port, "contact-sync"), c -> c.path("status").asText().equals("DOWN"));
        assertThat(check.path("message").asText()).startsWith("sync failing");
        assertThat(revoked).isTrue();
        Thread.sleep(3_000); // runs keep coming (skipped while the circuit is open, probing when half open)
        assertThat(watermark().orElseThrow().windowEnd()).isEqualTo(before);

        // No lookups are waiting to probe iVvy: the sync's own call is the probe that closes the circuit.
        sandbox.heal();
        await().atMost(Duration.ofSeconds(60)).until(() -> watermark().orElseThrow().windowEnd().isAfter(before));
        await().atMost(Duration.ofSeconds(30)).until(() -> healthCheck(port, "contact-sync").path("status").asText().equals("UP"));
    }

    private static JsonNode healthCheck(int port, String name) throws Exception {
        for (JsonNode check : Json.newMapper().readTree(Http.get(port, "/observe/health").body()).get("checks")) {
            if (check.get("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no readiness check " + name);
    }

    /** A member of the group with the sync on, its spans kept. */
    private final class Member {

        private final InMemorySpanExporter spans = InMemorySpanExporter.create();
        private final OpenTelemetrySdk telemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();

        RunningPipeline start() {
            Map<String, String> props = new HashMap<>(syncEvery("1s"));
            props.put("management.port", Integer.toString(FreePort.find()));
            return RunningPipeline.start(broker.bootstrapServers(), sandbox, pipelineProperties(props),
                    Map.of("openTelemetry", telemetry));
        }

        /** The sync runs it made (one span each, from before its first page to after its last acknowledgement). */
        List<SpanData> runs() {
            return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals("ivvy contact sync")).toList();
        }
    }

    private static String describe(SpanData run) {
        return "run " + Instant.ofEpochSecond(0, run.getStartEpochNanos()) + " to " + Instant.ofEpochSecond(0, run.getEndEpochNanos());
    }

    /** {@code count} contacts from {@code firstId}, modified a minute ago (the contacts that exist). */
    private static List<Long> recentlyModified(long firstId, int count) {
        List<Long> ids = LongStream.iterate(firstId, id -> id + 1).filter(SampleContacts::exists).limit(count).boxed().toList();
        sandbox.modify(ids, Instant.now().minus(Duration.ofMinutes(1)));
        return ids;
    }

    private Map<String, String> syncEvery(String interval) {
        return Map.of("sync.interval", interval, "topic.sync-state", stateTopic);
    }

    private Optional<SyncState> watermark() {
        return store().read();
    }

    private SyncStateStore store() {
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        return new SyncStateStore(client, 1_048_576, stateTopic, sandbox.baseUrl(), sandbox.baseUrl(), Json.newMapper(),
                java.time.Clock.systemUTC());
    }

    private List<ConsumerRecord<byte[], byte[]>> readInput(Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.input()))) {
            List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(done, Duration.ofSeconds(120));
            assertThat(done.test(records)).as("what the input topic should hold, in 120 s").isTrue();
            return records;
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topic))) {
            return reader.readUntil(r -> false, Duration.ofSeconds(3));
        }
    }

    private static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> text(r.key())).collect(Collectors.toSet());
    }

    private static Map<String, List<String>> windows(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(r -> header(r, "ivvy-sync-window"),
                Collectors.mapping(r -> text(r.key()), Collectors.toList())));
    }

    private static List<String> strings(List<Long> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> env = pipelineEnvironment();
        env.put("TOPIC_SYNC_STATE", stateTopic);
        return env;
    }

    private Command sync(String... args) throws Exception {
        return sync(childEnvironment(), args);
    }

    private static Command sync(Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "sync";
        System.arraycopy(args, 0, command, 1, args.length);
        try (ChildJvm sync = ChildJvm.start(env, List.of(), PipelineCli.class.getName(), command)) {
            int exit = sync.waitFor(120);
            return new Command(exit, sync.output());
        }
    }

    private record Command(int exit, String output) {
    }
}
