package dev.ivvycontact.signing;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs one iVvy request. Each call reads the clock afresh, so a retry never reuses a stale date or signature.
 * The date travels in IVVY-Date (never Date), so the date part of the string to sign is empty.
 */
public final class IvvySigner {

    public static final String API_VERSION = "1.0";
    public static final String HEADER_DATE = "IVVY-Date";
    public static final String HEADER_CONTENT_MD5 = "Content-MD5";
    public static final String HEADER_API_VERSION = "X-Api-Version";
    public static final String HEADER_AUTHORIZATION = "X-Api-Authorization";
    /** Every header {@link #sign} makes: the key and the signature are in them. */
    public static final List<String> SIGNED_HEADERS =
            List.of(HEADER_CONTENT_MD5, HEADER_DATE, HEADER_API_VERSION, HEADER_AUTHORIZATION);
    public static final DateTimeFormatter IVVY_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ApiCredentials credentials;
    private final Clock clock;

    public IvvySigner(ApiCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * The headers to send with this exact request, Content-Type excluded (the caller sends {@code contentType}
     * itself, byte for byte the value signed here).
     */
    public Map<String, String> sign(String method, String requestUri, String contentType, byte[] body) {
        String contentMd5 = IvvySignature.md5Hex(body);
        String date = IVVY_DATE.format(clock.instant());
        // IVVY-Date is the only IVVY header sent, so its canonical form is simply IVVYDate=<date>.
        String toSign = IvvySignature.stringToSign(method, contentMd5, contentType, "", requestUri, API_VERSION,
                "IVVYDate=" + date);
        String signature = IvvySignature.hmacSha1Hex(toSign, credentials.apiSecret());

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER_CONTENT_MD5, contentMd5);
        headers.put(HEADER_DATE, date);
        headers.put(HEADER_API_VERSION, API_VERSION);
        headers.put(HEADER_AUTHORIZATION, "IWS " + credentials.apiKey() + ":" + signature);
        return headers;
    }
}
