package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.PipelineTestBase;
import dev.ivvycontact.testsupport.TestProducer;
import dev.ivvycontact.testsupport.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker goes away for about 10 s mid-stream and comes back: the pipeline recovers by itself, losing nothing. */
class BrokerOutageIT extends PipelineTestBase {


    @Test
    void aTenSecondBrokerOutageLosesNothing() throws Exception {
        sandbox.setLatency(Duration.ofMillis(5));
        startPipeline(Map.of());
        List<String> before = existingIds(30_000, 30_600);
        before.forEach(id -> producer.send(topics.input(), id, id));
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), List.of(topics.contacts()))) {
            reader.readUntil(r -> r.size() >= 100, Duration.ofSeconds(60));
        }
        producer.close();
        broker.stopBroker();
        Thread.sleep(10_000);
        broker.resumeBroker();
        long resumedAt = System.nanoTime();
        producer = new TestProducer(broker.bootstrapServers());
        List<String> after = existingIds(31_000, 31_300);
        after.forEach(id -> producer.send(topics.input(), id, id));

        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), all, Duration.ofSeconds(120));
        System.out.printf("broker down 10 s: %d in, %d delivered, %d duplicates, all delivered %d ms after it came back%n",
                all.size(), contacts.keys().size(), contacts.duplicates(),
                Duration.ofNanos(System.nanoTime() - resumedAt).toMillis());
        assertThat(contacts.keys()).containsExactlyInAnyOrderElementsOf(all);
    }
}
