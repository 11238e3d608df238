package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactListRequest;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/** A {@link ContactListRequest} body becomes the signed getContactList call (see {@link SignedCall}). */
public final class GetContactListRequest implements Processor {

    public static final String REQUEST_URI = "/api/1.0/contact?action=getContactList";

    private final SignedCall call;

    public GetContactListRequest(SignedCall call) {
        this.call = call;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException, InvalidPayloadException {
        ContactListRequest request = exchange.getMessage().getMandatoryBody(ContactListRequest.class);
        call.prepare(exchange, REQUEST_URI, "getContactList", request.toRequestBody(), 0);
    }
}
