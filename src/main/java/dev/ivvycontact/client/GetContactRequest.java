package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.signing.IvvySigner;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@link ContactLookupRequest} body into one signed getContact request for camel-http: the bytes signed are
 * the bytes sent, and the date and signature are made afresh for every call (every round runs this step again).
 * Counts the call in the exchange's {@link CallHistory}.
 */
public final class GetContactRequest implements Processor {

    public static final String REQUEST_URI = "/api/1.0/contact?action=getContact";
    public static final String CONTENT_TYPE = "application/json";
    static final String CALL_STARTED = "ivvyCallStartedNanos";
    static final String CONTACT_ID = "ivvyContactId";

    private final IvvySigner signer;
    private final String url;
    private final PipelineMetrics metrics;
    private final IvvyRateLimiter rateLimiter;

    public GetContactRequest(IvvySigner signer, String baseUrl, PipelineMetrics metrics, IvvyRateLimiter rateLimiter) {
        this.signer = signer;
        this.url = baseUrl.replaceAll("/+$", "") + REQUEST_URI;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
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
        exchange.setProperty(CONTACT_ID, request.contactId());
        exchange.setProperty(CALL_STARTED, now);
    }

    /** The contact this exchange's call is for. */
    static long contactId(Exchange exchange) {
        return exchange.getProperty(CONTACT_ID, 0L, Long.class);
    }

    /** Records the call that this exchange's request started, with how it ended. */
    static void recordCall(Exchange exchange, PipelineMetrics metrics, String outcome) {
        Long started = exchange.getProperty(CALL_STARTED, Long.class);
        if (started != null) {
            metrics.ivvyCall(Duration.ofNanos(System.nanoTime() - started), outcome);
        }
    }
}
