package dev.ivvycontact.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pure parts of iVvy's request signing algorithm, shared by the client that signs and the sandbox that verifies.
 * Every step is written as the iVvy documentation states it, so each can be checked against its test vectors.
 */
public final class IvvySignature {

    private static final HexFormat HEX = HexFormat.of();
    // Both are costly to look up and not thread-safe: one per thread.
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> algorithm("MD5"));
    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> mac("HmacSHA1"));

    private IvvySignature() {
    }

    /** Content-MD5 as iVvy wants it: 32 lowercase hex characters (not base64), also for an empty body. */
    public static String md5Hex(byte[] body) {
        return HEX.formatHex(MD5.get().digest(body));
    }

    /** HMAC-SHA1 of the text (UTF-8) under the secret (UTF-8), as 40 lowercase hex characters. */
    public static String hmacSha1Hex(String text, String secret) {
        try {
            Mac mac = HMAC_SHA1.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HEX.formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the HMAC key can't be used", e);
        }
    }

    private static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " is missing from this JVM", e);
        }
    }

    private static Mac mac(String name) {
        try {
            return Mac.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " is missing from this JVM", e);
        }
    }

    /**
     * The canonical form of the request's IVVY headers: each header whose name starts with IVVY, name without
     * '-' and '_', as name=value, sorted by the stripped lower-cased name, joined with '&'.
     */
    public static String canonicalIvvyHeaders(Map<String, String> headers) {
        return headers.entrySet().stream()
                .filter(h -> h.getKey().toLowerCase(Locale.ROOT).startsWith("ivvy"))
                .map(h -> Map.entry(h.getKey().replace("-", "").replace("_", ""), h.getValue()))
                .sorted(Map.Entry.comparingByKey(String.CASE_INSENSITIVE_ORDER))
                .map(h -> h.getKey() + "=" + h.getValue())
                .collect(Collectors.joining("&"));
    }

    /** The string to sign, already lower-cased as a whole. {@code date} is empty when IVVY-Date carries the date. */
    public static String stringToSign(String method, String contentMd5, String contentType, String date,
                                      String requestUri, String apiVersion, String canonicalIvvyHeaders) {
        return (method + contentMd5 + contentType + date + requestUri + apiVersion + canonicalIvvyHeaders)
                .toLowerCase(Locale.ROOT);
    }
}
