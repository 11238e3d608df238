package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.sandbox.Fault;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.signing.IvvySigner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * routes/ivvy-call.yaml as the pipeline loads it, against the sandbox over HTTP, without Kafka: what each answer becomes,
 * what the circuit and the rate limiter learn, and that every call is signed afresh.
 */
class IvvyCallRouteTest extends IvvyCallRouteSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(meters);
    private final IvvyCircuit circuit = new IvvyCircuit(20,
            Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC());
    private final IvvyRateLimiter rateLimiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), MonotonicClock.SYSTEM);
    /** Our clock an hour behind iVvy's (the sandbox's real one): an answer's Date must show it. */
    private final IvvyClock ivvyClock = new IvvyClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));

    @AfterEach
    void healSandbox() throws IOException {
        sandbox.heal();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        bindIvvyClient(registry, circuit, rateLimiter, ivvyClock, OpenTelemetry.noop(), metrics);
    }

    @Test
    void aContactIsTheAnswerAndEachCallIsSignedAfresh() {
        CallCount history = new CallCount(Context.root());
        int refusedBefore = sandbox.refusedSignatures();
        Exchange first = call(5, history);
        Exchange second = call(5, history);

        assertThat(first.getException()).isNull();
        assertThat(first.getMessage().getBody(ContactDocument.class).summary().get("id").asLong()).isEqualTo(5);
        assertThat(second.getException()).isNull();
        assertThat(history.attempts()).isEqualTo(2);
        assertThat(sandbox.refusedSignatures()).isEqualTo(refusedBefore);
        assertThat(meters.get("ivvy.call.retries").counter().count()).isEqualTo(1.0);
        assertThat(circuit.answeredSince(new IvvyCircuit.Mark(0, 0))).isTrue();
    }

    @Test
    void notFoundIsTheMessagesOwnFaultAndIvvyCountsAsUp() {
        Exchange exchange = call(14, new CallCount(Context.root()));
        assertThat(exchange.getException()).isInstanceOfSatisfying(DeadLetterException.class,
                e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.CONTACT_NOT_FOUND));
        assertThat(circuit.isClosed()).isTrue();
    }

    @Test
    void a429IsTransientWithItsRetryAfter() {
        sandbox.failFirst(30_001, 1, Fault.TOO_MANY_REQUESTS);
        Exchange exchange = call(30_001, new CallCount(Context.root()));
        assertThat(exchange.getException()).isInstanceOfSatisfying(TransientIvvyFailure.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)));
        assertThat(circuit.isClosed()).as("one transient failure is no outage").isTrue();
    }

    @Test
    void anUnreachableIvvyIsSystemicAndOpensTheCircuit() throws IOException {
        sandbox.goDown();
        Exchange exchange = call(5, new CallCount(Context.root()));
        assertThat(exchange.getException()).isInstanceOf(SystemicIvvyFailure.class)
                .hasMessageStartingWith("iVvy is unreachable");
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        sandbox.comeBack();
    }

    /** Issue 17, item E: a call that got no answer keeps neither the key nor the signature on the exchange. */
    @Test
    void noSignedHeaderIsLeftOnTheExchangeWhateverTheCallsEnd() throws IOException {
        sandbox.goDown();
        Exchange unreachable = call(5, new CallCount(Context.root()));
        sandbox.comeBack();
        Exchange answered = call(5, new CallCount(Context.root()));
        sandbox.failFirst(30_002, 1, Fault.SERVER_ERROR);
        Exchange failed = call(30_002, new CallCount(Context.root()));
        for (Exchange exchange : List.of(unreachable, answered, failed)) {
            assertThat(exchange.getMessage().getHeaders().keySet())
                    .doesNotContainAnyElementsOf(IvvySigner.SIGNED_HEADERS);
            assertThat(exchange.getMessage().getHeaders().values()).noneMatch(value -> String.valueOf(value).contains("IWS "));
        }
    }

    /** Issue 17, item 1: iVvy back after an outage answers the probe with 429: iVvy is up, the circuit closes. */
    @Test
    void a429ToTheProbeClosesTheCircuit() {
        circuit.callFailed(5, new SystemicIvvyFailure("iVvy 463", null));
        circuit.startProbe();
        sandbox.failFirst(30_003, 1, Fault.TOO_MANY_REQUESTS);
        Exchange probe = call(30_003, new CallCount(Context.root()));
        assertThat(probe.getException()).isInstanceOf(TransientIvvyFailure.class);
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.CLOSED);
    }

    @Test
    void aContactListPageIsTheAnswerPagedByWhatIvvyServed() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        List<Long> ids = LongStream.rangeClosed(2_000_001, 2_000_080).filter(SampleContacts::exists).boxed().toList();
        sandbox.modify(ids, at);
        CallCount history = new CallCount(Context.root());
        Exchange exchange = list(new ContactListRequest(at, at, 0, 100), history);

        assertThat(exchange.getException()).isNull();
        ContactListPage page = exchange.getMessage().getBody(ContactListPage.class);
        assertThat(page.totalResults()).isEqualTo(ids.size());
        assertThat(page.count()).as("the sandbox serves at most 50 whatever was asked").isEqualTo(50);
        assertThat(page.results()).extracting(ContactListPage.Listed::id).containsExactlyElementsOf(ids.subList(0, 50));
        assertThat(page.results()).allSatisfy(listed -> assertThat(listed.modifiedDate()).isEqualTo("2030-01-01 00:00:00 UTC"));
        assertThat(history.attempts()).isEqualTo(1);
    }

    /**
     * Issue 18, item 3: lookups failing for everyone opened the circuit; a contact-list page answered meanwhile (the
     * change capture) neither closes it nor counts as evidence; a list page failing for now doesn't count toward the
     * lookups' run either.
     */
    @Test
    void aListPageSaysNothingOfLookups() {
        IvvyCircuit.Mark before = circuit.mark();
        for (long id = 1; id <= 20; id++) {
            circuit.callFailed(id, new TransientIvvyFailure("iVvy 503", null, null));
        }
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        Exchange page = list(new ContactListRequest(Instant.EPOCH, Instant.now(), 0, 100), new CallCount(Context.root()));
        assertThat(page.getException()).isNull();
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
        assertThat(circuit.answeredSince(before)).isFalse();

        circuit.answered();
        sandbox.failEverything(Fault.SERVER_ERROR);
        for (int i = 0; i < 25; i++) {
            list(new ContactListRequest(Instant.EPOCH, Instant.now(), 0, 100), new CallCount(Context.root()));
        }
        assertThat(circuit.isClosed()).as("list failures are not the lookups' run").isTrue();
    }

    /** Issue 18, item C: iVvy's clock (an hour ahead of ours here) as its answers' Date headers tell it. */
    @Test
    void ivvysClockIsLearntFromItsAnswers() {
        assertThat(ivvyClock.offset()).isZero();
        list(new ContactListRequest(Instant.EPOCH, Instant.now(), 0, 100), new CallCount(Context.root()));
        assertThat(ivvyClock.offset()).isBetween(Duration.ofMinutes(60).minusSeconds(2), Duration.ofMinutes(60).plusSeconds(2));
        assertThat(Duration.between(Instant.now(), ivvyClock.instant())).isBetween(Duration.ofSeconds(-2), Duration.ofSeconds(2));
    }

    @Test
    void aRevokedKeyDuringAListIsSystemicAndOpensTheCircuit() {
        sandbox.failEverything(Fault.KEY_REVOKED);
        Exchange exchange = list(new ContactListRequest(Instant.EPOCH, Instant.now(), 0, 100), new CallCount(Context.root()));
        assertThat(exchange.getException()).isInstanceOf(SystemicIvvyFailure.class).hasMessageContaining("463");
        assertThat(circuit.state()).isEqualTo(IvvyCircuit.State.OPEN);
    }

    private Exchange list(ContactListRequest request, CallCount history) {
        return template.send("direct:ivvy-get-contact-list", exchange -> {
            exchange.getMessage().setBody(request);
            exchange.setProperty(CallHistory.PROPERTY, history);
        });
    }

    private Exchange call(long contactId, CallCount history) {
        return template.send("direct:ivvy-get-contact", exchange -> {
            exchange.getMessage().setBody(new ContactLookupRequest(contactId, false));
            exchange.setProperty(CallHistory.PROPERTY, history);
        });
    }
}
