package dev.ivvycontact.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One getContactList page to ask for: contacts modified in [from, to] (iVvy's dates have one-second resolution),
 * from the zero-based record index {@code start}. iVvy caps {@code perPage}: page by what the answer's meta says.
 */
public record ContactListRequest(Instant from, Instant to, long start, int perPage) {

    public static final DateTimeFormatter IVVY_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The JSON body of the call, exactly the bytes that are signed and sent. */
    public byte[] toRequestBody() {
        return ("{\"perPage\":" + perPage + ",\"start\":" + start + ",\"filter\":{\"fromModifiedDate\":\""
                + IVVY_UTC.format(from) + "\",\"toModifiedDate\":\"" + IVVY_UTC.format(to) + "\"}}")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
