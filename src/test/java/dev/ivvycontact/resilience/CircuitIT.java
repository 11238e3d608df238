package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.RunningPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The iVvy circuit on a real broker: it opens, holds, probes and closes, and never wedges or dead-letters an outage. */
class CircuitIT extends PipelineTestBase {

    private final int port = FreePort.find();

    private RunningPipeline start(Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(Map.of("management.port", Integer.toString(port),
                "pipeline.circuit-first-probe-ms", "200", "pipeline.circuit-max-probe-ms", "1000"));
        props.putAll(extra);
        return startPipeline(props);
    }

    /** Issue 8, item 1: bad input arriving while the circuit probes must not become a probe that never ends. */
    @Test
    void anOutageWithBadInputNeverWedgesTheInstance() throws Exception {
        sandbox.setLatency(Duration.ofMillis(300)); // a probe takes a while: records arrive while it is out
        start(Map.of());
        sandbox.failEverything(Fault.KEY_REVOKED);
        producer.send(topics.input(), "70001", "70001");
        awaitHealth(port, 503, "ivvy-circuit");
        // Issue 19, item H: readiness does not follow iVvy (every pod NotReady would stall rollouts and drains): it is
        // UP (once the consumer is connected) while the circuit is still open.
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 200);
        assertThat(awaitHealth(port, 503, "ivvy-circuit").get("status").asText()).isEqualTo("DOWN");
        List<String> bad = List.of("l-not-an-id", "-70007", "{\"nope\": 70009}", "{\"id\": -70008}");
        List<String> good = new ArrayList<>(List.of("70001"));
        for (String value : bad) {
            producer.send(topics.input(), value, value);
        }
        good.addAll(existingIds(70010, 70045).subList(0, 29));
        good.subList(1, good.size()).forEach(id -> producer.send(topics.input(), id, id));
        Thread.sleep(3000); // several probes fail meanwhile
        sandbox.failEverything(null);

        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), good, Duration.ofSeconds(60));
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(good);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readAtLeast(topics.deadLetters(), bad.size());
        assertThat(deadLetters).extracting(r -> text(r.value())).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(awaitHealth(port, 200, "ivvy-circuit").get("status").asText()).isEqualTo("UP");
    }

    /**
     * Issue 8, item 5: iVvy answers 500 to everything while contacts arrive one at a time. No contact has evidence
     * that the failure is its own (iVvy answered nobody since its first attempt), so none is dead-lettered.
     */
    @Test
    void aQuietOutageHoldsContactsInsteadOfDeadLetteringThem() throws Exception {
        start(Map.of());
        sandbox.failEverything(Fault.SERVER_ERROR);
        producer.send(topics.input(), "70101", "70101");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(70_101) >= 8);
        Thread.sleep(1000);
        producer.send(topics.input(), "70102", "70102");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(70_102) >= 1);
        JsonNode circuit = awaitHealth(port, 503, "ivvy-circuit");
        assertThat(circuit.get("message").asText()).contains("500");
        Thread.sleep(2000);
        sandbox.failEverything(null);

        List<String> ids = List.of("70101", "70102");
        assertThat(Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(60)).keys())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(readAtLeast(topics.deadLetters(), 0)).isEmpty();
    }

    /** Issue 8, item E: a consumer restarted inside one Camel context still probes the circuit and recovers. */
    @Test
    void aRestartedLookupRouteStillProbesAndRecovers() throws Exception {
        RunningPipeline pipeline = start(Map.of());
        CamelContext camel = pipeline.camelContext();
        camel.getRouteController().stopRoute("contact-lookup");
        camel.getRouteController().startRoute("contact-lookup");
        sandbox.failEverything(Fault.KEY_REVOKED);
        List<String> ids = existingIds(70200, 70210);
        ids.forEach(id -> producer.send(topics.input(), id, id));
        awaitHealth(port, 503, "ivvy-circuit");
        Thread.sleep(1000);
        sandbox.failEverything(null);

        assertThat(Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(60)).keys())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(awaitHealth(port, 200, "ivvy-circuit").get("status").asText()).isEqualTo("UP");
    }
}
