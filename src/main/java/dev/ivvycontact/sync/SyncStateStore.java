package dev.ivvycontact.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivvycontact.pipeline.ByteClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The sync's watermark, in a compacted topic rather than on a disk: one record per iVvy account, keyed by its base URL
 * and a short hash of its API key (the key itself is a credential and never written), the value the last completed
 * window as JSON. It is read to its end at the start of a run and written only after every id of the window is
 * acknowledged, and never moves back.
 */
public final class SyncStateStore {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Properties clientProperties;
    private final int maxRequestSize;
    private final String topic;
    private final byte[] key;
    private final ObjectMapper mapper;

    public SyncStateStore(Properties clientProperties, int maxRequestSize, String topic, String baseUrl, String apiKey,
                          ObjectMapper mapper) {
        this.clientProperties = clientProperties;
        this.maxRequestSize = maxRequestSize;
        this.topic = topic;
        this.key = accountKey(baseUrl, apiKey).getBytes(StandardCharsets.UTF_8);
        this.mapper = mapper;
    }

    /** {@code https://api.ap-southeast-2.ivvy.com#a1b2c3d4e5f6}: the account, without its credential. */
    static String accountKey(String baseUrl, String apiKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return baseUrl.replaceAll("/+$", "") + "#" + HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last completed window, if any: the last record of the account in the partition that holds its key. */
    public Optional<SyncState> read() {
        Properties props = ByteClients.manualCommitConsumer(clientProperties);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // a topic made by accident is not compacted
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            int partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
            if (partitions == 0) {
                throw new IllegalStateException("the sync state topic " + topic + " does not exist: create it, compacted "
                        + "(see README, Change capture)");
            }
            TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            byte[] last = null;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.key() != null && Arrays.equals(record.key(), key)) {
                        last = record.value();
                    }
                }
            }
            return last == null ? Optional.empty() : Optional.of(parse(last));
        }
    }

    /**
     * Makes {@code window} the watermark, acknowledged by every in-sync replica, if it reaches the stored one and ends
     * later: a window that starts after the watermark would leave a gap unsynced, one that ends before it would move
     * it back. Returns what is stored now.
     */
    public Optional<SyncState> advance(SyncState window) throws SyncFailedException {
        Optional<SyncState> stored = read();
        if (!advances(stored, window)) {
            return stored;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ByteClients.reliableProducer(clientProperties, maxRequestSize))) {
            producer.send(new ProducerRecord<>(topic, key, json(window))).get();
            return Optional.of(window);
        } catch (ExecutionException e) {
            throw new SyncFailedException("the watermark could not be written to " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailedException("interrupted while writing the watermark", e);
        }
    }

    /** Whether {@code window} moves the watermark: it reaches the stored one (no gap) and ends later. */
    static boolean advances(Optional<SyncState> stored, SyncState window) {
        return stored.map(last -> !window.windowStart().isAfter(last.windowEnd())
                && window.windowEnd().isAfter(last.windowEnd())).orElse(true);
    }

    private byte[] json(SyncState state) {
        ObjectNode json = mapper.createObjectNode()
                .put("windowStart", state.windowStart().toString()).put("windowEnd", state.windowEnd().toString())
                .put("ids", state.ids()).put("pages", state.pages())
                .put("completedAt", state.completedAt().toString()).put("instance", state.instance());
        try {
            return mapper.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyncState parse(byte[] value) {
        try {
            JsonNode json = mapper.readTree(value);
            return new SyncState(Instant.parse(json.get("windowStart").asText()), Instant.parse(json.get("windowEnd").asText()),
                    json.path("ids").asLong(), json.path("pages").asInt(), Instant.parse(json.get("completedAt").asText()),
                    json.path("instance").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the sync state in " + topic + " can't be read: " + e.getMessage(), e);
        }
    }
}
