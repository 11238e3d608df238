package dev.ivvycontact.deadletter;

import static dev.ivvycontact.testsupport.TestProducer.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** `replay` as an operator runs it (its own JVM, configured by environment variables) against a real broker. */
class ReplayIT extends PipelineTestBase {

    @Test
    void dryRunShowsWhatWouldBeReplayedAndChangesNothing() throws Exception {
        deadLetter("7", "CONTACT_NOT_FOUND", null);
        deadLetter("x", "MALFORMED_MESSAGE", null);
        Result first = replay("--dry-run");
        assertThat(first.exit).isZero();
        assertThat(first.output).contains("would replay: ").contains("Summary: 2 would be replayed");
        assertThat(replay("--dry-run").output).contains("Summary: 2 would be replayed");
        assertThat(readAll(topics.input())).isEmpty();
    }

    @Test
    void replaysByReasonOnceAndLeavesOtherReasonsForLater() throws Exception {
        deadLetter("7", "CONTACT_NOT_FOUND", null);
        deadLetter("x", "MALFORMED_MESSAGE", null);
        deadLetter("14", "CONTACT_NOT_FOUND", "1");

        Result notFound = replay("--reason", "CONTACT_NOT_FOUND");
        assertThat(notFound.exit).isZero();
        assertThat(notFound.output).contains("Summary: 2 replayed").contains("CONTACT_NOT_FOUND: 2 replayed");
        List<ConsumerRecord<byte[], byte[]>> replayed = readAtLeast(topics.input(), 2);
        assertThat(replayed).extracting(r -> text(r.key())).containsExactlyInAnyOrder("7", "14");
        for (ConsumerRecord<byte[], byte[]> record : replayed) {
            assertThat(text(record.value())).isEqualTo("value-" + text(record.key()));
            assertThat(header(record, "trace")).isEqualTo("t-" + text(record.key()));
            assertThat(header(record, "replay-count")).isEqualTo("7".equals(text(record.key())) ? "1" : "2");
            assertThat(Arrays.stream(record.headers().toArray()).map(h -> h.key()))
                    .noneMatch(name -> name.startsWith("dlt-")).containsOnlyOnce("replay-count");
        }

        Result again = replay("--reason", "CONTACT_NOT_FOUND");
        assertThat(again.output).contains("Summary: 0 replayed").contains("nothing to replay");
        Result malformed = replay("--reason", "MALFORMED_MESSAGE");
        assertThat(malformed.output).contains("MALFORMED_MESSAGE: 1 replayed");
        assertThat(readAtLeast(topics.input(), 3)).hasSize(3);
    }

    @Test
    void aMessageReplayedTooOftenIsSkippedAndReportedOnce() throws Exception {
        deadLetter("21", "CONTACT_NOT_FOUND", "3");
        deadLetter("22", "CONTACT_NOT_FOUND", "2");
        Result run = replay();
        assertThat(run.exit).isZero();
        assertThat(run.output).contains("skipped (replayed 3 times already)").contains("key=21")
                .contains("Summary: 1 replayed, 1 skipped at the replay limit");
        assertThat(readAtLeast(topics.input(), 1)).extracting(r -> text(r.key())).containsExactly("22");
        assertThat(replay().output).contains("Summary: 0 replayed, 0 skipped");
    }

    @Test
    void aReplayedNotFoundContactThatNowExistsFlowsThroughThePipeline() throws Exception {
        startPipeline(Map.of());
        producer.send(topics.input(), "2800", "2800");
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.deadLetters()))) {
            assertThat(reader.readAtLeast(1, Duration.ofSeconds(60))).extracting(r -> header(r, "dlt-reason"))
                    .containsExactly("CONTACT_NOT_FOUND");
        }
        sandbox.putContact(2800, bytes("{\"id\":2800,\"firstName\":\"Found\",\"eventRegistrations\":[{\"registrationId\":1}]}"));
        assertThat(replay("--reason", "CONTACT_NOT_FOUND").output).contains("Summary: 1 replayed");
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts(), topics.registrations()))) {
            List<ConsumerRecord<byte[], byte[]>> out = reader.readAtLeast(2, Duration.ofSeconds(60));
            assertThat(out).extracting(ConsumerRecord::topic).containsExactlyInAnyOrder(topics.contacts(), topics.registrations());
            assertThat(text(out.get(0).key())).isEqualTo("2800");
        }
    }

    /** Issue 8, item 2: retention removed the first three dead letters; the other three are replayed, the loss named. */
    @Test
    void aPositionBelowTheLogStartStartsAtTheLogStartAndSaysHowManyWereLost() throws Exception {
        for (int n = 1; n <= 6; n++) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topics.deadLetters(), 0, bytes("k" + n),
                    bytes("value-k" + n));
            record.headers().add("dlt-reason", bytes("CONTACT_NOT_FOUND"));
            producer.send(record);
        }
        try (Admin admin = broker.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(topics.deadLetters(), 0), RecordsToDelete.beforeOffset(3)))
                    .all().get();
        }
        Result run = replay("--reason", "CONTACT_NOT_FOUND");
        assertThat(run.exit).isZero();
        assertThat(run.output).contains("Summary: 3 replayed").contains("3 lost to retention");
        assertThat(readAtLeast(topics.input(), 3)).extracting(r -> text(r.key())).containsExactlyInAnyOrder("k4", "k5", "k6");
        assertThat(replay("--reason", "CONTACT_NOT_FOUND").output).contains("Summary: 0 replayed");
    }

    @Test
    void exitStatusIs0WithNothingToReplay1OnFailureAnd2OnAUsageError() throws Exception {
        assertThat(replay("--reason", "NOT_A_REASON").exit).isEqualTo(2);
        Result nothingThere = replay("--to", topics.input(), "--limit", "1");
        assertThat(nothingThere.exit).isZero();
        assertThat(nothingThere.output).contains("nothing to replay");
        topics = new dev.ivvycontact.pipeline.Topics(topics.input(), topics.contacts(), topics.registrations(),
                topics.invoices(), topics.invitations(), "no-such-topic-" + System.nanoTime());
        Result failed = replay();
        assertThat(failed.exit).isEqualTo(1);
        assertThat(failed.output).contains("replay failed, nothing committed").contains("does not exist");
    }

    private void deadLetter(String key, String reason, String replayCount) {
        ProducerRecord<byte[], byte[]> record = TestProducer.record(topics.deadLetters(), bytes(key), bytes("value-" + key),
                Map.of());
        record.headers().add("trace", bytes("t-" + key));
        if (replayCount != null) {
            record.headers().add("replay-count", bytes(replayCount));
        }
        record.headers().add("dlt-reason", bytes(reason)).add("dlt-error", bytes("because")).add("dlt-attempts", bytes("1"));
        producer.send(record);
    }

    @Test
    void exactlyOnceReplaysAndCommitsInOneTransaction() throws Exception {
        deadLetter("21", "CONTACT_NOT_FOUND", null);
        deadLetter("28", "CONTACT_NOT_FOUND", null);
        // As `replay` runs it with PIPELINE_PROCESSING_GUARANTEE=exactly_once (in this JVM, to keep the suite short).
        DeadLetterReplayer replayer = new DeadLetterReplayer(clientProperties(), 1 << 20, groupId + "-replay");
        ReplayRequest request = new ReplayRequest(topics.deadLetters(), topics.input(), groupId + "-replay",
                Set.of("CONTACT_NOT_FOUND"), false, Integer.MAX_VALUE, 3);
        assertThat(replayer.replay(request, line -> { }).replayedCount()).isEqualTo(2);
        try (TopicReader reader = TopicReader.readCommitted(broker.bootstrapServers(), List.of(topics.input()))) {
            assertThat(reader.readAtLeast(2, Duration.ofSeconds(30))).extracting(r -> text(r.key()))
                    .containsExactlyInAnyOrder("21", "28");
        }
        assertThat(replayer.replay(request, line -> { }).replayedCount())
                .as("the groups' offsets were committed with the replays").isZero();
    }

    private Properties clientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        return props;
    }

    private Result replay(String... args) throws Exception {
        Map<String, String> env = pipelineEnvironment();
        String[] command = new String[args.length + 1];
        command[0] = "replay";
        System.arraycopy(args, 0, command, 1, args.length);
        try (ChildJvm replay = ChildJvm.start(env, List.of(), PipelineCli.class.getName(), command)) {
            int exit = replay.waitFor(120);
            return new Result(exit, replay.output());
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topic))) {
            return reader.readUntil(r -> false, Duration.ofSeconds(3));
        }
    }

    private record Result(int exit, String output) {
    }
}
