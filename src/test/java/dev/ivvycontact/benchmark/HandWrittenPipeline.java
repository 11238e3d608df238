package dev.ivvycontact.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.signing.ApiCredentials;
import dev.ivvycontact.signing.IvvySigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's hand-written baseline: what a user writes without Camel. kafka-clients, java.net.http's async
 * client with the module's signer, Jackson trees, one idempotent producer (acks=all); each polled batch is looked up
 * with at most PIPELINE_MAX_IN_FLIGHT calls at once and committed when every output of the batch is acknowledged.
 * Same outputs as the module (topics, keys, headers, the contact summary). Configured by the same environment
 * variables as {@code run}; no dead letters, no retries, no circuit: the sandbox answers every call.
 */
public final class HandWrittenPipeline {

    static final String REQUEST_URI = "/api/1.0/contact?action=getContact";

    private final Map<String, String> env = System.getenv();
    private final ObjectMapper mapper = Json.newMapper();
    private final IvvySigner signer = new IvvySigner(
            new ApiCredentials(env.get("IVVY_API_KEY"), env.get("IVVY_API_SECRET")), Clock.systemUTC());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Semaphore slots = new Semaphore(Integer.parseInt(env.getOrDefault("PIPELINE_MAX_IN_FLIGHT", "32")));
    private final URI uri = URI.create(env.get("IVVY_BASE_URL") + REQUEST_URI);
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            "bootstrap.servers", env.get("KAFKA_BOOTSTRAP_SERVERS"), "acks", "all", "enable.idempotence", "true"),
            new ByteArraySerializer(), new ByteArraySerializer());

    private HandWrittenPipeline() {
    }

    public static void main(String[] args) throws Exception {
        new HandWrittenPipeline().run();
    }

    private void run() throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", env.get("KAFKA_BOOTSTRAP_SERVERS"), "group.id", env.get("KAFKA_GROUP_ID"),
                "enable.auto.commit", "false", "auto.offset.reset", "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(env.get("TOPIC_INPUT")));
            while (true) {
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    slots.acquire();
                    batch.add(lookupUntilDone(record).whenComplete((done, failure) -> slots.release()));
                }
                if (!batch.isEmpty()) {
                    CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                    consumer.commitSync();
                }
            }
        }
    }

    /** A lookup that failed (the sandbox has no faults here, but a network may) is made again, loudly. */
    private CompletableFuture<Void> lookupUntilDone(ConsumerRecord<byte[], byte[]> record) {
        return lookup(record).handle((done, failure) -> failure).thenCompose(failure -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(null);
            }
            System.err.println("lookup of " + new String(record.value(), StandardCharsets.UTF_8) + " failed, again: " + failure);
            return lookupUntilDone(record);
        });
    }

    /**
     * A signed getContact POST to {@code getContact} (the base URL and {@link #REQUEST_URI}), as a user writes it with
     * java.net.http; the benchmark warms the sandbox with it too.
     */
    static HttpRequest signedGetContact(IvvySigner signer, URI getContact, long contactId) {
        byte[] body = ("{\"id\":" + contactId + "}").getBytes(StandardCharsets.US_ASCII);
        HttpRequest.Builder request = HttpRequest.newBuilder(getContact)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", REQUEST_URI, "application/json", body).forEach(request::header);
        return request.build();
    }

    private CompletableFuture<Void> lookup(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.value(), StandardCharsets.UTF_8).strip();
        HttpRequest request = signedGetContact(signer, uri, Long.parseLong(key));
        var correlation = record.headers().lastHeader("correlation-id");
        String correlationId = correlation != null ? new String(correlation.value(), StandardCharsets.UTF_8)
                : UUID.randomUUID().toString();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenCompose(answer -> answer.statusCode() == 200 ? publish(key, correlationId, answer.body())
                        : CompletableFuture.failedFuture(new IllegalStateException("HTTP " + answer.statusCode())));
    }

    private CompletableFuture<Void> publish(String key, String correlationId, byte[] contactJson) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        try {
            JsonNode contact = mapper.readTree(contactJson);
            ObjectNode summary = mapper.createObjectNode();
            for (String field : List.of("id", "firstName", "lastName", "email")) {
                summary.set(field, contact.get(field));
            }
            acks.add(send(env.get("TOPIC_CONTACTS"), key, correlationId, contactJson));
            // Each element is extended in place and serialised before anything inside it changes.
            for (JsonNode registration : contact.path("eventRegistrations")) {
                ((ObjectNode) registration).set("contact", summary);
                acks.add(send(env.get("TOPIC_REGISTRATIONS"), key, correlationId, mapper.writeValueAsBytes(registration)));
                for (JsonNode invoice : registration.path("invoices")) {
                    ObjectNode invoiceOut = (ObjectNode) invoice;
                    invoiceOut.set("registrationId", registration.get("registrationId"));
                    invoiceOut.set("eventId", registration.get("eventId"));
                    invoiceOut.set("eventCode", registration.get("eventCode"));
                    invoiceOut.set("contact", summary);
                    acks.add(send(env.get("TOPIC_INVOICES"), key, correlationId, mapper.writeValueAsBytes(invoiceOut)));
                }
            }
            for (JsonNode invitation : contact.path("eventInvitations")) {
                ((ObjectNode) invitation).set("contact", summary);
                acks.add(send(env.get("TOPIC_INVITATIONS"), key, correlationId, mapper.writeValueAsBytes(invitation)));
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(String topic, String key, String correlationId, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("correlation-id", correlationId.getBytes(StandardCharsets.UTF_8));
        headers.add("ivvy-contact-id", key.getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8), value, headers),
                (metadata, failure) -> {
                    if (failure != null) {
                        acked.completeExceptionally(failure);
                    } else {
                        acked.complete(null);
                    }
                });
        return acked;
    }
}
