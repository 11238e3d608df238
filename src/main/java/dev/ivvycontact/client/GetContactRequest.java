package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactLookupRequest;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/** A {@link ContactLookupRequest} body becomes the signed getContact call (see {@link SignedCall}). */
public final class GetContactRequest implements Processor {

    public static final String REQUEST_URI = "/api/1.0/contact?action=getContact";

    private final SignedCall call;

    public GetContactRequest(SignedCall call) {
        this.call = call;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        ContactLookupRequest request = exchange.getMessage().getMandatoryBody(ContactLookupRequest.class);
        call.prepare(exchange, REQUEST_URI, "getContact", request.toRequestBody(), request.contactId());
    }
}
