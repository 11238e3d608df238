package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.PipelineTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** iVvy failing in each way a platform and a network can, on a real broker: what is kept, retried, dead-lettered. */
class ResilienceIT extends PipelineTestBase {


    @Test
    void transientFaultsOn30PercentOfCallsLoseNothingAndDeadLetterNothing() {
        sandbox.setFailureRate(0.3, Fault.SERVER_ERROR, Fault.TOO_MANY_REQUESTS, Fault.TRUNCATED_JSON, Fault.HTML_BAD_GATEWAY);
        startPipeline(Map.of("pipeline.max-attempts", "12"));
        List<String> ids = existingIds(1, 120);
        long started = System.nanoTime();
        ids.forEach(id -> producer.send(topics.input(), id, id));

        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(120));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        int calls = ids.stream().mapToInt(id -> sandbox.calls(Long.parseLong(id))).sum();
        System.out.printf("30%% transient faults: %d in, %d delivered, %d duplicates, %d calls, %d s%n",
                ids.size(), contacts.keys().size(), contacts.duplicates(), calls, seconds);
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(calls).isGreaterThan(ids.size());
        assertThat(deadLetters(0)).isEmpty();
    }

    @Test
    void anIdThatAlwaysFailsIsDeadLetteredAfterExactlyTheAttemptsWhileOthersFlow() throws Exception {
        sandbox.failFirst(4_343, Integer.MAX_VALUE, Fault.SERVER_ERROR);
        startPipeline(Map.of("pipeline.max-attempts", "4", "pipeline.retry-initial-delay-ms", "300",
                "pipeline.retry-max-delay-ms", "1000"));
        producer.send(topics.input(), "4343", "4343");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.calls(4_343) >= 1);
        List<String> others = existingIds(200, 230);
        others.forEach(id -> producer.send(topics.input(), id, id));

        assertThat(Deliveries.await(broker.bootstrapServers(), topics.contacts(), others, Duration.ofSeconds(60)).keys())
                .containsExactlyInAnyOrderElementsOf(others);
        List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(1);
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), "dlt-reason")).isEqualTo("RETRIES_EXHAUSTED");
        assertThat(header(dead.get(0), "dlt-attempts")).isEqualTo("4");
        assertThat(header(dead.get(0), "dlt-ivvy-error-code")).isEqualTo("500");
        assertThat(sandbox.calls(4_343)).isEqualTo(4);
    }

    @Test
    void ivvyDownUnderLoadPausesReportsDownAndDeliversEverythingAfterRecovery() throws Exception {
        int port = FreePort.find();
        startPipeline(Map.of("management.port", Integer.toString(port), "pipeline.circuit-first-probe-ms", "200",
                "pipeline.circuit-max-probe-ms", "1000"));
        List<String> before = existingIds(1000, 1060);
        before.forEach(id -> producer.send(topics.input(), id, id));
        Deliveries.await(broker.bootstrapServers(), topics.contacts(), before, Duration.ofSeconds(60));

        sandbox.goDown();
        long downAt = System.nanoTime();
        List<String> during = existingIds(1100, 1300);
        during.forEach(id -> producer.send(topics.input(), id, id));
        JsonNode circuit = awaitHealth(port, 503, "ivvy-circuit");
        assertThat(circuit.get("status").asText()).isEqualTo("DOWN");
        assertThat(circuit.get("message").asText()).startsWith("iVvy unavailable: ").contains("iVvy is unreachable");
        Thread.sleep(3000);
        sandbox.comeBack();
        long backAt = System.nanoTime();

        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), all, Duration.ofSeconds(90));
        long recoveredMs = Duration.ofNanos(System.nanoTime() - backAt).toMillis();
        awaitHealth(port, 200, "ivvy-circuit");
        System.out.printf("iVvy down %d ms under load: %d in, %d delivered, %d duplicates, 0 expected dead letters,"
                        + " all delivered %d ms after it came back%n", Duration.ofNanos(backAt - downAt).toMillis(),
                all.size(), contacts.keys().size(), contacts.duplicates(), recoveredMs);
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(deadLetters(0)).isEmpty();
    }

    @Test
    void aRevokedKeyPausesWithoutDeadLettersUntilItIsRestored() throws Exception {
        int port = FreePort.find();
        startPipeline(Map.of("management.port", Integer.toString(port), "pipeline.circuit-first-probe-ms", "200",
                "pipeline.circuit-max-probe-ms", "1000"));
        sandbox.failEverything(Fault.KEY_REVOKED);
        List<String> ids = existingIds(2000, 2100);
        ids.forEach(id -> producer.send(topics.input(), id, id));
        JsonNode circuit = awaitHealth(port, 503, "ivvy-circuit");
        assertThat(circuit.get("message").asText()).contains("463");
        Thread.sleep(2000);
        sandbox.failEverything(null);

        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(60));
        System.out.printf("key revoked then restored: %d in, %d delivered, %d duplicates%n", ids.size(),
                contacts.keys().size(), contacts.duplicates());
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(deadLetters(0)).isEmpty();
    }

    @Test
    void theRateLimitHoldsCallsToItsRate() {
        startPipeline(Map.of("pipeline.max-requests-per-second", "20"));
        int before = sandbox.getContactCallTimes().size();
        List<String> ids = existingIds(3000, 3070);
        ids.forEach(id -> producer.send(topics.input(), id, id));
        Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(60));
        List<Long> times = sandbox.getContactCallTimes().subList(before, before + ids.size());
        int busiestSecond = 0;
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            while (j < times.size() && times.get(j) - times.get(i) < Duration.ofSeconds(1).toNanos()) {
                j++;
            }
            busiestSecond = Math.max(busiestSecond, j - i);
        }
        double averageRate = (times.size() - 1)
                / (Duration.ofNanos(times.get(times.size() - 1) - times.get(0)).toMillis() / 1000.0);
        System.out.printf("rate limit 20/s: %d calls at %.1f/s on average, at most %d in any one second%n", ids.size(),
                averageRate, busiestSecond);
        // Calls leave 50 ms apart; their arrival at the sandbox adds scheduling noise at the edges of a window.
        assertThat(averageRate).isLessThanOrEqualTo(20.5);
        assertThat(busiestSecond).isBetween(2, 22);
    }

    @Test
    void a429PausesTheCallsOfOtherContactsToo() {
        sandbox.setLatency(Duration.ofMillis(20));
        // Retry-After is honoured up to PIPELINE_RETRY_MAX_DELAY_MS, which the tests keep short: let it be 2 s here.
        startPipeline(Map.of("pipeline.max-in-flight", "4", "pipeline.retry-max-delay-ms", "2000"));
        sandbox.failFirst(4_201, 1, Fault.TOO_MANY_REQUESTS); // Retry-After: 1
        int before = sandbox.getContactCallTimes().size();
        producer.send(topics.input(), "4201", "4201");
        List<String> others = existingIds(4_300, 4_400);
        others.forEach(id -> producer.send(topics.input(), id, id));
        assertThat(Deliveries.await(broker.bootstrapServers(), topics.contacts(), others, Duration.ofSeconds(60)).keys())
                .containsAll(others);
        List<Long> times = sandbox.getContactCallTimes();
        times = times.subList(before, times.size());
        long longestGapMs = 0;
        for (int i = 1; i < times.size(); i++) {
            longestGapMs = Math.max(longestGapMs, Duration.ofNanos(times.get(i) - times.get(i - 1)).toMillis());
        }
        // Without a pause for all, the others would keep calling every few ms while 4201 waits its second.
        System.out.printf("429 with Retry-After 1 among %d other contacts: calls stopped for %d ms%n",
                others.size(), longestGapMs);
        assertThat(longestGapMs).isGreaterThanOrEqualTo(900);
    }

    /** The dead letters, once {@code expected} have arrived and a quiet period shows no more come. */
    private List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
        return readAtLeast(topics.deadLetters(), expected);
    }

}
