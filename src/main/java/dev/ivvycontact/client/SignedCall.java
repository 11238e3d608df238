package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactApiRequest;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.signing.IvvySigner;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The first step of routes/ivvy-call.yaml: turns a {@link ContactApiRequest} body into one signed POST for camel-http: it waits its turn at the rate limiter, then the bytes signed
 * are the bytes sent, and the date and signature are made afresh for every call (every attempt runs this again). It
 * counts the call in the exchange's {@link CallHistory} and starts its span, a child of the history's trace.
 */
public final class SignedCall implements Processor {

    public static final String CONTENT_TYPE = "application/json";
    private static final String CALL = "ivvy.call";

    private final IvvySigner signer;
    private final String baseUrl;
    private final PipelineMetrics metrics;
    private final IvvyRateLimiter rateLimiter;
    private final IvvyCircuit circuit;
    private final LookupTracing tracing;

    public SignedCall(IvvySigner signer, String baseUrl, PipelineMetrics metrics, IvvyRateLimiter rateLimiter,
                      IvvyCircuit circuit, LookupTracing tracing) {
        this.signer = signer;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.circuit = circuit;
        this.tracing = tracing;
    }

    /** Makes the exchange's message the signed request its {@link ContactApiRequest} body asks for. */
    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        Message message = exchange.getMessage();
        ContactApiRequest request = message.getMandatoryBody(ContactApiRequest.class);
        String requestUri = request.requestUri();
        byte[] body = request.toRequestBody();
        CallHistory history = exchange.getProperty(CallHistory.PROPERTY, CallHistory.class);
        rateLimiter.acquire(); // before signing: the date signed is the moment the call really goes out
        message.getHeaders().clear();
        message.setBody(body);
        message.setHeader(Exchange.HTTP_URI, baseUrl + requestUri);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        signer.sign("POST", requestUri, CONTENT_TYPE, body).forEach(message::setHeader);
        long now = System.nanoTime();
        history.callStarting(circuit.mark());
        if (history.attempts() > 1) {
            metrics.ivvyRetry();
        }
        exchange.setProperty(CALL, new Call(request.action(), request.contactId(), now,
                tracing.startCall(history.traceContext(), request.action(), request.contactId(), history.attempts())));
    }

    /** The call this exchange's request started. */
    static Call call(Exchange exchange) {
        return exchange.getProperty(CALL, Call.class);
    }

    /**
     * A call on its way: which, for whom, since when, and its span. It also says, in one place, what its outcome tells
     * the circuit of the lookups: a contact's answer is evidence that lookups work; an answer to any other action (a
     * contact-list page) only that iVvy is reachable; a transient failure of another action says nothing of lookups,
     * while a failure every call meets (key, clock, network) counts whatever the action.
     */
    record Call(String action, long contactId, long startedNanos, Span span) {

        private boolean lookup() {
            return ContactLookupRequest.ACTION.equals(action);
        }

        void answered(IvvyCircuit circuit) {
            if (lookup()) {
                circuit.answered();
            } else {
                circuit.reachable();
            }
        }

        void throttled(IvvyCircuit circuit) {
            if (lookup()) {
                circuit.throttled();
            } else {
                circuit.reachable();
            }
        }

        void failed(IvvyCircuit circuit, Exception failure) {
            if (lookup() || failure instanceof SystemicIvvyFailure) {
                circuit.callFailed(contactId, failure);
            }
        }

        /** Records how the call ended: its duration by {@code outcome}, and its span with what came back. */
        void ended(PipelineMetrics metrics, String outcome, int status, Throwable failure) {
            metrics.ivvyCall(Duration.ofNanos(System.nanoTime() - startedNanos), action, outcome);
            IvvyError error = failure instanceof HasIvvyError f ? f.ivvyError().orElse(null) : null;
            Duration retryAfter = failure instanceof TransientIvvyFailure e ? e.retryAfter().orElse(null) : null;
            LookupTracing.endCall(span, status, error == null ? null : error.errorCode(),
                    error == null ? null : error.specificCode(), retryAfter, failure);
        }
    }
}
