package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.signing.IvvySigner;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns a {@link ContactLookupRequest} body into one signed getContact request for camel-http: the bytes signed are
 * the bytes sent, and the date and signature are made afresh on every attempt (redeliveries run this step again).
 * Counts the calls made in the exchange property {@value #ATTEMPTS}.
 */
public final class GetContactRequest implements Processor {

    public static final String REQUEST_URI = "/api/1.0/contact?action=getContact";
    public static final String CONTENT_TYPE = "application/json";
    public static final String ATTEMPTS = "ivvyAttempts";

    private final IvvySigner signer;
    private final String url;

    public GetContactRequest(IvvySigner signer, String baseUrl) {
        this.signer = signer;
        this.url = baseUrl.replaceAll("/+$", "") + REQUEST_URI;
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        byte[] body = message.getMandatoryBody(ContactLookupRequest.class).toRequestBody();
        message.getHeaders().clear();
        message.setBody(body);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, url);
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        signer.sign("POST", REQUEST_URI, CONTENT_TYPE, body).forEach(message::setHeader);
        exchange.setProperty(ATTEMPTS, exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1);
    }
}
