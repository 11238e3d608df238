package dev.ivvycontact.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code ivvy-event-id} of an output: SHA-256, as 64 hex characters, over what the message says (its entity type,
 * the contact id, the entity's own id, and the exact bytes published). The same contact fetched twice with nothing
 * changed gives the same ids, a changed registration a new one, so a consumer can drop the repeats that at-least-once
 * delivery allows by remembering the ids it has seen.
 */
public final class EventIds {

    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private EventIds() {
    }

    /** Fields are separated by a newline, which none of the first three can hold. */
    public static String of(String entityType, String contactId, String entityId, byte[] content) {
        MessageDigest digest = SHA_256.get();
        digest.update((entityType + "\n" + contactId + "\n" + entityId + "\n").getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest.digest(content));
    }
}
