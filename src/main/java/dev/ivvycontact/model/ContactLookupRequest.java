package dev.ivvycontact.model;

import java.nio.charset.StandardCharsets;

/** One getContact call to make: the contact id and whether invitations and registrations come in event order. */
public record ContactLookupRequest(long contactId, boolean useEventSortOrder) implements ContactApiRequest {

    public static final String ACTION = "getContact";
    public static final String REQUEST_URI = "/api/1.0/contact?action=" + ACTION;

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public String requestUri() {
        return REQUEST_URI;
    }

    @Override
    public byte[] toRequestBody() {
        String json = useEventSortOrder
                ? "{\"id\":" + contactId + ",\"useEventSortOrder\":true}"
                : "{\"id\":" + contactId + "}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    /** The contact id as it keys every output: its decimal string. */
    public String key() {
        return Long.toString(contactId);
    }
}
