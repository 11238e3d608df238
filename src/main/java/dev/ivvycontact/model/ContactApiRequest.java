package dev.ivvycontact.model;

/** A call to iVvy's contact namespace, as the signed call sends it (see dev.ivvycontact.client.SignedCall). */
public interface ContactApiRequest {

    /** iVvy's action, e.g. getContact: it names the call in metrics and spans. */
    String action();

    /** Path and query of the call, exactly as sent and signed. */
    String requestUri();

    /** The JSON body of the call, exactly the bytes that are signed and sent. */
    byte[] toRequestBody();

    /** The contact the call is for; 0 when it is for none. */
    long contactId();
}
