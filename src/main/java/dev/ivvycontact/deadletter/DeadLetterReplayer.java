package dev.ivvycontact.deadletter;

import dev.ivvycontact.pipeline.ByteClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes chosen dead letters back to the input topic. Progress is kept per reason, each in its own consumer group
 * ({@code <prefix>.<REASON>}), so replaying one reason neither replays twice nor passes over the others for good.
 * It reads up to the end offsets that existed when it started and commits only after every message it produced was
 * acknowledged; on any failure it commits nothing, so a rerun replays again rather than losing anything. A position
 * below the log start (retention deleted dead letters before they were replayed) starts at the log start, and the
 * summary counts what was lost. Given a transactional id (PIPELINE_PROCESSING_GUARANTEE=exactly_once), what it
 * produces and the groups' offsets are committed in one Kafka transaction: a read_committed reader of the input sees
 * the replays of a run once, and a failed or killed run leaves neither replays nor progress behind. Two runs at once
 * fence each other (the second's start aborts the first's transaction).
 */
public final class DeadLetterReplayer {

    public static final String REPLAY_COUNT = "replay-count";
    private static final String NO_REASON = "UNKNOWN";
    private static final Duration POLL = Duration.ofMillis(500);

    private final Properties clientProperties;
    private final int maxRequestSize;
    private final String transactionalId;

    /**
     * {@code clientProperties}: bootstrap servers and pass-through client settings; {@code transactionalId}: null to
     * produce and commit without a transaction (at least once).
     */
    public DeadLetterReplayer(Properties clientProperties, int maxRequestSize, String transactionalId) {
        this.clientProperties = clientProperties;
        this.maxRequestSize = maxRequestSize;
        this.transactionalId = transactionalId;
    }

    /** Replays and reports each replayed or skipped message through {@code report} as it goes. */
    public ReplaySummary replay(ReplayRequest request, Consumer<String> report) throws ExecutionException, InterruptedException {
        ReplaySummary summary = new ReplaySummary();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             KafkaProducer<byte[], byte[]> producer = request.dryRun() ? null : producer()) {
            List<TopicPartition> partitions = partitions(consumer, request.deadLetterTopic());
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Set<String> groups = groupsFor(request);
            Map<String, Map<TopicPartition, Long>> committed = committedByGroup(groups, partitions);
            Map<TopicPartition, Long> examinedUpTo = new HashMap<>();
            Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                long from = committed.values().stream().mapToLong(c -> c.get(tp)).min().orElse(0);
                long start = logStart.get(tp);
                if (from < start) {
                    // Retention deleted dead letters before they were replayed: say so, and start where the log does.
                    summary.lostToRetention(start - from);
                    committed.values().forEach(c -> c.merge(tp, start, Math::max));
                    examinedUpTo.put(tp, start);
                    from = start;
                }
                consumer.seek(tp, from);
            }

            List<Future<RecordMetadata>> sent = new ArrayList<>();
            boolean limitReached = false;
            while (!limitReached && !caughtUp(consumer, partitions, end)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (limitReached || record.offset() >= end.get(tp)) {
                        continue;
                    }
                    String reason = header(record, DeadLetterHeaders.REASON, NO_REASON);
                    String group = request.groupPrefix() + "." + reason;
                    boolean pending = committed.containsKey(group) && record.offset() >= committed.get(group).get(tp);
                    if (pending && request.selects(reason)) {
                        summary.examined();
                        int replays = replayCount(record);
                        String where = record.topic() + "-" + record.partition() + "@" + record.offset()
                                + " key=" + text(record.key()) + " reason=" + reason + " replay-count=" + replays;
                        if (replays >= request.maxReplays()) {
                            summary.skipped(reason, where);
                            report.accept("skipped (replayed " + replays + " times already): " + where);
                        } else {
                            summary.replayed(reason);
                            report.accept((request.dryRun() ? "would replay: " : "replayed: ") + where);
                            if (producer != null) {
                                sent.add(producer.send(replayOf(record, request.targetTopic(), replays + 1)));
                            }
                        }
                        limitReached = summary.replayedCount() >= request.limit();
                    }
                    examinedUpTo.put(tp, record.offset() + 1);
                }
            }
            if (producer != null && transactionalId != null) {
                commitTransaction(producer, groups, examinedUpTo);
            } else if (producer != null) {
                producer.flush();
                for (Future<RecordMetadata> ack : sent) {
                    ack.get();
                }
                commit(groups, examinedUpTo);
            }
        }
        return summary;
    }

    private static Set<String> groupsFor(ReplayRequest request) {
        Set<String> reasons = new LinkedHashSet<>(request.reasons());
        if (reasons.isEmpty()) {
            for (DeadLetterReason reason : DeadLetterReason.values()) {
                reasons.add(reason.name());
            }
            reasons.add(NO_REASON);
        }
        return reasons.stream().map(r -> request.groupPrefix() + "." + r).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Per group, the offset each partition was replayed up to (0 for a group that has never run). */
    private Map<String, Map<TopicPartition, Long>> committedByGroup(Set<String> groups, List<TopicPartition> partitions) {
        Map<String, Map<TopicPartition, Long>> byGroup = new HashMap<>();
        for (String group : groups) {
            try (KafkaConsumer<byte[], byte[]> groupConsumer = consumer(group)) {
                Map<TopicPartition, OffsetAndMetadata> offsets = groupConsumer.committed(Set.copyOf(partitions));
                Map<TopicPartition, Long> positions = new HashMap<>();
                partitions.forEach(tp -> positions.put(tp, offsets.get(tp) == null ? 0L : offsets.get(tp).offset()));
                byGroup.put(group, positions);
            }
        }
        return byGroup;
    }

    private void commit(Set<String> groups, Map<TopicPartition, Long> examinedUpTo) {
        forward(groups, examinedUpTo).forEach((group, offsets) -> {
            try (KafkaConsumer<byte[], byte[]> groupConsumer = consumer(group)) {
                groupConsumer.commitSync(offsets);
            }
        });
    }

    /** The replays and every group's progress together, or neither (a failure aborts, and the run can be redone). */
    private void commitTransaction(KafkaProducer<byte[], byte[]> producer, Set<String> groups,
                                   Map<TopicPartition, Long> examinedUpTo) {
        try {
            forward(groups, examinedUpTo).forEach((group, offsets) ->
                    producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(group)));
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
    }

    /** Per group, the offsets to commit: never moving a group back, as it may already be past what this run examined. */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> forward(Set<String> groups,
                                                                        Map<TopicPartition, Long> examinedUpTo) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new HashMap<>();
        if (examinedUpTo.isEmpty()) {
            return byGroup;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = examinedUpTo.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
        for (String group : groups) {
            try (KafkaConsumer<byte[], byte[]> groupConsumer = consumer(group)) {
                Map<TopicPartition, OffsetAndMetadata> current = groupConsumer.committed(offsets.keySet());
                Map<TopicPartition, OffsetAndMetadata> forward = offsets.entrySet().stream()
                        .filter(e -> current.get(e.getKey()) == null || current.get(e.getKey()).offset() < e.getValue().offset())
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                if (!forward.isEmpty()) {
                    byGroup.put(group, forward);
                }
            }
        }
        return byGroup;
    }

    private static ProducerRecord<byte[], byte[]> replayOf(ConsumerRecord<byte[], byte[]> deadLetter, String topic,
                                                           int replayCount) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : deadLetter.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX) && !header.key().equals(REPLAY_COUNT)) {
                headers.add(header);
            }
        }
        headers.add(REPLAY_COUNT, Integer.toString(replayCount).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, deadLetter.key(), deadLetter.value(), headers);
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                    Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the dead-letter topic " + topic + " does not exist");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return consumer(null);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties props = ByteClients.manualCommitConsumer(clientProperties);
        // Should retention move the log start while this runs, go on from the new start rather than skip to the end.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(props);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = ByteClients.reliableProducer(clientProperties, maxRequestSize);
        if (transactionalId == null) {
            return new KafkaProducer<>(props);
        }
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        producer.initTransactions();
        producer.beginTransaction();
        return producer;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name, String absent) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? absent : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The replays a message has been through; an unreadable count counts as none. */
    private static int replayCount(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Integer.parseInt(header(record, REPLAY_COUNT, "0").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "(null)" : new String(bytes, StandardCharsets.UTF_8);
    }
}
