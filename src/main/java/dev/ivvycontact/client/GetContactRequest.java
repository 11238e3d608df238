package dev.ivvycontact.client;

import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.signing.IvvySigner;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@link ContactLookupRequest} body into one signed getContact request for camel-http: the bytes signed are
 * the bytes sent, and the date and signature are made afresh for every call (every round runs this step again).
 * Counts the call in the exchange's {@link CallHistory} and starts its span, a child of the history's trace.
 */
public final class GetContactRequest implements Processor {

    public static final String REQUEST_URI = "/api/1.0/contact?action=getContact";
    public static final String CONTENT_TYPE = "application/json";
    private static final String CALL = "ivvy.call";

    private final IvvySigner signer;
    private final String url;
    private final PipelineMetrics metrics;
    private final IvvyRateLimiter rateLimiter;
    private final LookupTracing tracing;

    public GetContactRequest(IvvySigner signer, String baseUrl, PipelineMetrics metrics, IvvyRateLimiter rateLimiter,
                             LookupTracing tracing) {
        this.signer = signer;
        this.url = baseUrl.replaceAll("/+$", "") + REQUEST_URI;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
        this.tracing = tracing;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        ContactLookupRequest request = exchange.getMessage().getMandatoryBody(ContactLookupRequest.class);
        CallHistory history = exchange.getProperty(CallHistory.PROPERTY, CallHistory.class);
        byte[] body = request.toRequestBody();
        rateLimiter.acquire(); // before signing: the date signed is the moment the call really goes out
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(body);
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        signer.sign("POST", REQUEST_URI, CONTENT_TYPE, body).forEach(message::setHeader);
        long now = System.nanoTime();
        history.callStarting(now);
        if (history.attempts() > 1) {
            metrics.ivvyRetry();
        }
        exchange.setProperty(CALL, new Call(request.contactId(), now,
                tracing.startCall(history.traceContext(), request.contactId(), history.attempts())));
    }

    /** The call this exchange's request started. */
    static Call call(Exchange exchange) {
        return exchange.getProperty(CALL, Call.class);
    }

    /** A call on its way: for whom, since when, and its span. */
    record Call(long contactId, long startedNanos, Span span) {

        /** Records how the call ended: its duration by {@code outcome}, and its span with what came back. */
        void ended(PipelineMetrics metrics, String outcome, int status, Throwable failure) {
            metrics.ivvyCall(Duration.ofNanos(System.nanoTime() - startedNanos), outcome);
            IvvyError error = failure instanceof DeadLetterException e ? e.ivvyError().orElse(null)
                    : failure instanceof TransientIvvyFailure e ? e.ivvyError().orElse(null)
                    : failure instanceof SystemicIvvyFailure e ? e.ivvyError().orElse(null) : null;
            Duration retryAfter = failure instanceof TransientIvvyFailure e ? e.retryAfter().orElse(null) : null;
            LookupTracing.endCall(span, status, error == null ? null : error.errorCode(),
                    error == null ? null : error.specificCode(), retryAfter, failure);
        }
    }
}
