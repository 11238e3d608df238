package dev.ivvycontact.sync;

import dev.ivvycontact.client.CallCount;
import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.client.TransientIvvyFailure;
import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import io.opentelemetry.context.Context;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Pages of getContactList through the signed call of routes/ivvy-call.yaml: the lookups' signer, classification,
 * circuit, rate limit and group budget. A transient failure is tried again after the retry backoff (or iVvy's
 * Retry-After) while attempts are left and the circuit is closed; anything else ends the run, keeping the watermark.
 * Before every call, retries included, the run checks it may still go on (it still leads the sync).
 */
public final class ContactListCalls implements ContactListPages {

    /** Checked before every call: throws to stop the run (the lead lost). */
    @FunctionalInterface
    public interface BeforeEachCall {
        void check() throws SyncFailedException;
    }


    public static final String ROUTE = "direct:ivvy-get-contact-list";

    private final ProducerTemplate template;
    private final IvvyCircuit circuit;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Context trace;
    private final BeforeEachCall beforeEachCall;
    private int calls;

    /** {@code trace}: the context the calls' spans belong to (a sync run's). */
    public ContactListCalls(ProducerTemplate template, IvvyCircuit circuit, Backoff backoff, int maxAttempts, Context trace,
                            BeforeEachCall beforeEachCall) {
        this.beforeEachCall = beforeEachCall;
        this.template = template;
        this.circuit = circuit;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.trace = trace;
    }

    @Override
    public ContactListPage fetch(ContactListRequest request) throws SyncFailedException {
        CallCount history = new CallCount(trace);
        while (true) {
            beforeEachCall.check();
            Exchange exchange = template.send(ROUTE, e -> {
                e.getMessage().setBody(request);
                e.setProperty(CallHistory.PROPERTY, history);
            });
            calls++;
            Exception failure = exchange.getException();
            if (failure == null) {
                return exchange.getMessage().getBody(ContactListPage.class);
            }
            if (!(failure instanceof TransientIvvyFailure transientFailure) || history.attempts() >= maxAttempts
                    || !circuit.isClosed()) {
                throw new SyncFailedException("the page at " + request.start() + " failed after " + history.attempts()
                        + " attempts: " + failure.getMessage(), failure);
            }
            sleep(transientFailure.delayBeforeNextAttempt(backoff, history.attempts()));
        }
    }

    /** Calls made so far, retries included. */
    public int calls() {
        return calls;
    }

    private static void sleep(Duration delay) throws SyncFailedException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailedException("interrupted between attempts", e);
        }
    }
}
