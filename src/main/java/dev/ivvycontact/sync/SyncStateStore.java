package dev.ivvycontact.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivvycontact.pipeline.ByteClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The sync's watermark, in a compacted topic rather than on a disk: one record per iVvy account, keyed by the account's
 * name (SYNC_ACCOUNT; by default the base URL), never by anything of the API key, so that rotating the key keeps the
 * position. Records of the earlier key form (base URL, '#', a hash of the API key) are still read when the account has
 * none, so the first run after an upgrade or a rotation carries the position over. The value is the last completed
 * window as JSON. It is read to its end at the start of a run and written only after every id of the window is
 * acknowledged; it never moves back, and never past the present.
 */
public final class SyncStateStore implements Watermarks {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long reading the watermark may take: the topic showing up, then read to its end. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Properties clientProperties;
    private final int maxRequestSize;
    private final String topic;
    private final String account;
    private final String legacyPrefix;
    private final ObjectMapper mapper;
    private final Clock clock;

    /** {@code account}: the watermark's key; {@code baseUrl}: where the earlier keys of this account start. */
    public SyncStateStore(Properties clientProperties, int maxRequestSize, String topic, String account, String baseUrl,
                          ObjectMapper mapper, Clock clock) {
        this.clientProperties = clientProperties;
        this.maxRequestSize = maxRequestSize;
        this.topic = topic;
        this.account = account;
        this.legacyPrefix = baseUrl.replaceAll("/+$", "") + "#";
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * The last completed window, if any: the account's last record, or, when it has none, the most advanced record of
     * the earlier key form for the same base URL (a key rotated, or the first run after the upgrade).
     */
    @Override
    public Optional<SyncState> read() {
        Properties props = ByteClients.manualCommitConsumer(clientProperties);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // a topic made by accident is not compacted
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            List<TopicPartition> partitions = partitionsOf(consumer, deadline);
            // The topic holds one record per account (compacted): reading all of it is cheap.
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<String, SyncState> lastByKey = new HashMap<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("reading the sync state from " + topic + " took over "
                            + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() != null && (key.equals(account) || key.startsWith(legacyPrefix))) {
                        lastByKey.put(key, parse(record.value()));
                    }
                }
            }
            return choose(lastByKey, account, legacyPrefix);
        }
    }

    /** The topic's partitions; a topic just created may take a moment to show, one that doesn't exist is an error. */
    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, long deadline) {
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the sync state topic " + topic + " does not exist: create it, "
                        + "compacted (see README, Change capture)");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the sync state", e);
            }
        }
    }

    /** The account's own watermark, else the most advanced one of its earlier keys. */
    static Optional<SyncState> choose(Map<String, SyncState> lastByKey, String account, String legacyPrefix) {
        SyncState own = lastByKey.get(account);
        if (own != null) {
            return Optional.of(own);
        }
        return lastByKey.entrySet().stream().filter(e -> e.getKey().startsWith(legacyPrefix)).map(Map.Entry::getValue)
                .max(Comparator.comparing(SyncState::windowEnd));
    }

    /**
     * Makes {@code window} the watermark, acknowledged by every in-sync replica, if it reaches the stored one and ends
     * later (see {@link #advances}). Returns what is stored now. A window that ends in the future is refused loudly:
     * stored, it would make every window until then empty.
     */
    @Override
    public Optional<SyncState> advance(SyncState window) throws SyncFailedException {
        Optional<SyncState> stored = read();
        Optional<SyncState> next = next(stored, window, clock.instant());
        if (next.isEmpty()) {
            return stored;
        }
        write(next.get());
        return next;
    }

    /**
     * The one rule for moving the watermark: what to write when {@code window} is offered at {@code now} against what
     * is {@code stored} (empty: nothing). Refused loudly: a window ending in the future, a former leader's window
     * ({@link #fenced}); left alone: a window that would leave a gap or move it back ({@link #advances}).
     */
    static Optional<SyncState> next(Optional<SyncState> stored, SyncState window, Instant now) throws SyncFailedException {
        if (window.windowEnd().isAfter(now)) {
            throw new SyncFailedException("a window ending in the future (" + window.windowEnd() + ", now " + now
                    + ") is never stored as the watermark", null);
        }
        SyncState fenced = fenced(stored, window);
        return advances(stored, fenced, now) ? Optional.of(fenced) : Optional.empty();
    }

    /**
     * {@code window} with its epoch settled against the stored one: a leader's window older than the stored epoch is
     * refused (a newer leader has written: this one was handed over and must stop); a window that carries takes the
     * stored epoch.
     */
    static SyncState fenced(Optional<SyncState> stored, SyncState window) throws SyncFailedException {
        long storedEpoch = stored.map(SyncState::epoch).orElse(0L);
        if (window.epoch() == SyncState.CARRY) {
            return window.withEpoch(storedEpoch);
        }
        if (window.epoch() < storedEpoch) {
            throw new SyncFailedException("fenced: a newer leader of the sync (epoch " + storedEpoch + ") has written "
                    + "the watermark; this run (epoch " + window.epoch() + ") stops without writing", null);
        }
        return window;
    }

    /**
     * Sets the watermark to {@code at}, forward or back, as an operator asks ({@code sync --reset-to}); never past the
     * present. The next window starts there, less the overlap. Returns the watermark it replaced.
     */
    public Optional<SyncState> reset(Instant at) throws SyncFailedException {
        Instant now = clock.instant();
        if (at.isAfter(now)) {
            throw new SyncFailedException("the watermark can't be set in the future (" + at + ", now " + now + ")", null);
        }
        Optional<SyncState> before = read();
        write(new SyncState(at, at, 0, 0, now, "sync --reset-to", before.map(SyncState::epoch).orElse(0L)));
        return before;
    }

    /** Writes the account's record, acknowledged by every in-sync replica. */
    private void write(SyncState state) throws SyncFailedException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ByteClients.reliableProducer(clientProperties, maxRequestSize))) {
            producer.send(new ProducerRecord<>(topic, account.getBytes(StandardCharsets.UTF_8), json(state))).get();
        } catch (ExecutionException e) {
            throw new SyncFailedException("the watermark could not be written to " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailedException("interrupted while writing the watermark", e);
        }
    }

    /** The name the watermark is kept under, and where. */
    public String describe() {
        return "'" + account + "' in " + topic;
    }

    /**
     * Whether {@code window} moves the watermark at {@code now}: it reaches the stored one (no gap) and ends later. A
     * stored watermark ahead of the present (a clock that jumped, an old bug) is replaced by any window.
     */
    static boolean advances(Optional<SyncState> stored, SyncState window, Instant now) {
        return stored.map(last -> last.windowEnd().isAfter(now) || (!window.windowStart().isAfter(last.windowEnd())
                && window.windowEnd().isAfter(last.windowEnd()))).orElse(true);
    }

    private byte[] json(SyncState state) {
        ObjectNode json = mapper.createObjectNode()
                .put("windowStart", state.windowStart().toString()).put("windowEnd", state.windowEnd().toString())
                .put("ids", state.ids()).put("pages", state.pages())
                .put("completedAt", state.completedAt().toString()).put("instance", state.instance())
                .put("epoch", state.epoch());
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
                    json.path("instance").asText(""), json.path("epoch").asLong(0));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the sync state in " + topic + " can't be read: " + e.getMessage(), e);
        }
    }
}
