package dev.ivvycontact.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One getContactList page to ask for: contacts modified in [from, to] (iVvy's dates have one-second resolution),
 * from the zero-based record index {@code start}. iVvy caps {@code perPage}: page by what the answer's meta says.
 */
public record ContactListRequest(Instant from, Instant to, long start, int perPage) implements ContactApiRequest {

    public static final String ACTION = "getContactList";
    public static final String REQUEST_URI = "/api/1.0/contact?action=" + ACTION;
    public static final DateTimeFormatter IVVY_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    @Override
    public String action() {
        return ACTION;
    }

    @Override
    public String requestUri() {
        return REQUEST_URI;
    }

    /** A page is for no one contact. */
    @Override
    public long contactId() {
        return 0;
    }

    @Override
    public byte[] toRequestBody() {
        return ("{\"perPage\":" + perPage + ",\"start\":" + start + ",\"filter\":{\"fromModifiedDate\":\""
                + IVVY_UTC.format(from) + "\",\"toModifiedDate\":\"" + IVVY_UTC.format(to) + "\"}}")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
