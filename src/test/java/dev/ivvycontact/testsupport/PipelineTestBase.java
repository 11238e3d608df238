package dev.ivvycontact.testsupport;

import dev.ivvycontact.pipeline.Topics;
import dev.ivvycontact.sandbox.IvvySandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.sandbox.SampleContacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.LongStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One real broker and one sandbox per test class; fresh topics and a fresh consumer group per test, so tests
 * can't see each other's messages.
 */
public abstract class PipelineTestBase {

    protected static KafkaTestBroker broker;
    protected static IvvySandbox sandbox;

    protected Topics topics;
    protected String groupId;
    protected TestProducer producer;
    private RunningPipeline pipeline;

    @BeforeAll
    static void startBrokerAndSandbox() throws IOException {
        broker = KafkaTestBroker.start();
        sandbox = IvvySandbox.start(0);
    }

    @AfterAll
    static void stopBrokerAndSandbox() {
        sandbox.close();
        broker.close();
    }

    @BeforeEach
    void freshTopics() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        topics = new Topics("in-" + run, "contacts-" + run, "registrations-" + run, "invoices-" + run,
                "invitations-" + run, "dlt-" + run);
        groupId = "pipeline-" + run;
        broker.createTopics(inputPartitions(), List.of(topics.input(), topics.deadLetters()));
        broker.createTopics(3, List.of(topics.contacts(), topics.registrations(), topics.invoices(), topics.invitations()));
        producer = new TestProducer(broker.bootstrapServers());
    }

    @AfterEach
    void stopPipelineAndHealSandbox() throws IOException {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        producer.close();
        sandbox.heal();
    }

    protected int inputPartitions() {
        return 3;
    }

    /** Pipeline properties of this test (topic names, group), plus {@code extra}. */
    protected Map<String, String> pipelineProperties(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("topic.input", topics.input());
        props.put("topic.contacts", topics.contacts());
        props.put("topic.registrations", topics.registrations());
        props.put("topic.invoices", topics.invoices());
        props.put("topic.invitations", topics.invitations());
        props.put("topic.dlt", topics.deadLetters());
        props.put("kafka.group-id", groupId);
        props.put("pipeline.retry-initial-delay-ms", "20");
        props.put("pipeline.retry-max-delay-ms", "200");
        props.putAll(extra);
        return props;
    }

    /** The environment an operator would give `run`, `check` or `replay` for this test's broker, sandbox and topics. */
    protected Map<String, String> pipelineEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("IVVY_BASE_URL", sandbox.baseUrl());
        env.put("IVVY_API_KEY", IvvySandbox.API_KEY);
        env.put("IVVY_API_SECRET", IvvySandbox.API_SECRET);
        env.put("TOPIC_INPUT", topics.input());
        env.put("TOPIC_CONTACTS", topics.contacts());
        env.put("TOPIC_REGISTRATIONS", topics.registrations());
        env.put("TOPIC_INVOICES", topics.invoices());
        env.put("TOPIC_INVITATIONS", topics.invitations());
        env.put("TOPIC_DLT", topics.deadLetters());
        env.put("KAFKA_GROUP_ID", groupId);
        env.put("MANAGEMENT_PORT", Integer.toString(FreePort.find()));
        return env;
    }

    protected RunningPipeline startPipeline(Map<String, String> extra) {
        return startPipeline(extra, Map.of());
    }

    protected RunningPipeline startPipeline(Map<String, String> extra, Map<String, Object> beans) {
        pipeline = RunningPipeline.start(broker.bootstrapServers(), sandbox, pipelineProperties(extra), beans);
        return pipeline;
    }

    protected List<String> outputTopics() {
        return List.of(topics.contacts(), topics.registrations(), topics.invoices(), topics.invitations(),
                topics.deadLetters());
    }

    /**
     * Everything on {@code topic} once {@code expected} records have arrived and a quiet period shows no more come.
     * What is read from an output topic is held against its published schema first.
     */
    protected List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topic))) {
            records = reader.readAtLeast(expected, Duration.ofSeconds(60));
        }
        OutputSchemas schema = schemaOf(topic);
        if (schema != null) {
            records.forEach(record -> assertThat(schema.violations(record.value()))
                    .as("%s-%d@%d against %s", topic, record.partition(), record.offset(), schema).isEmpty());
        }
        return records;
    }

    private OutputSchemas schemaOf(String topic) {
        return topic.equals(topics.contacts()) ? OutputSchemas.CONTACT
                : topic.equals(topics.registrations()) ? OutputSchemas.REGISTRATION
                : topic.equals(topics.invoices()) ? OutputSchemas.INVOICE
                : topic.equals(topics.invitations()) ? OutputSchemas.INVITATION : null;
    }

    /**
     * The health answer's check of that name, once /observe/health (every check: iVvy's circuit, the change capture
     * and the dead letters are in neither liveness nor readiness) answers {@code status}.
     */
    protected static JsonNode awaitHealth(int port, int status, String checkName) {
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(port, "/observe/health"), answer -> answer.statusCode() == status);
        try {
            for (JsonNode check : Json.newMapper().readTree(ready.body()).get("checks")) {
                if (check.get("name").asText().equals(checkName)) {
                    return check;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no " + checkName + " in " + ready.body());
    }

    /** Ids in [from, to] that the sandbox knows (not multiples of 7), as strings. */
    public static List<String> existingIds(long from, long to) {
        return LongStream.rangeClosed(from, to).filter(SampleContacts::exists).mapToObj(Long::toString).toList();
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }
}
