package dev.ivvycontact.sandbox;

import dev.ivvycontact.signing.IvvySignature;
import dev.ivvycontact.signing.IvvySigner;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request's signature the way the iVvy platform does: recomputes Content-MD5 from the body received, rebuilds
 * the string to sign from the headers received, and refuses a date more than five minutes from its own clock.
 */
final class SignatureVerifier {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern AUTHORIZATION = Pattern.compile("IWS ([^:\\s]+):([0-9a-fA-F]{40})");

    private final Map<String, String> secretsByKey;
    private final Clock clock;

    SignatureVerifier(Map<String, String> secretsByKey, Clock clock) {
        this.secretsByKey = secretsByKey;
        this.clock = clock;
    }

    /** Why the request is refused, or empty when its signature is right. Header names are matched ignoring case. */
    Optional<SandboxError> verify(String method, String requestUri, Map<String, String> headers, byte[] body) {
        String authorization = headers.get("x-api-authorization");
        Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization.strip());
        if (auth == null || !auth.matches()) {
            return Optional.of(SandboxError.unauthorized("X-Api-Authorization is missing or not 'IWS key:signature'"));
        }
        String secret = secretsByKey.get(auth.group(1));
        if (secret == null) {
            return Optional.of(SandboxError.unauthorized("unknown API key"));
        }
        if (!IvvySigner.API_VERSION.equals(headers.get("x-api-version"))) {
            return Optional.of(SandboxError.unauthorized("X-Api-Version must be 1.0"));
        }
        String contentMd5 = headers.getOrDefault("content-md5", "");
        if (!contentMd5.equals(IvvySignature.md5Hex(body))) {
            return Optional.of(SandboxError.unauthorized("Content-MD5 does not match the body"));
        }
        String ivvyDate = headers.get("ivvy-date");
        String date = headers.get("date");
        Optional<SandboxError> stale = checkDate(ivvyDate != null ? ivvyDate : date, ivvyDate != null);
        if (stale.isPresent()) {
            return stale;
        }
        String expected = IvvySignature.hmacSha1Hex(IvvySignature.stringToSign(method, contentMd5,
                headers.getOrDefault("content-type", ""), date == null ? "" : date, requestUri,
                IvvySigner.API_VERSION, IvvySignature.canonicalIvvyHeaders(headers)), secret);
        boolean matches = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.group(2).toLowerCase().getBytes(StandardCharsets.US_ASCII));
        return matches ? Optional.empty() : Optional.of(SandboxError.unauthorized("the signature does not match"));
    }

    private Optional<SandboxError> checkDate(String value, boolean ivvyFormat) {
        if (value == null) {
            return Optional.of(SandboxError.unauthorized("neither IVVY-Date nor Date is present"));
        }
        ZonedDateTime sent;
        try {
            sent = ivvyFormat
                    ? LocalDateTime.parse(value, IvvySigner.IVVY_DATE).atZone(ZoneOffset.UTC)
                    : ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            return Optional.of(SandboxError.unauthorized("the request date can't be read"));
        }
        Duration skew = Duration.between(sent.toInstant(), clock.instant()).abs();
        return skew.compareTo(MAX_SKEW) > 0 ? Optional.of(SandboxError.stale()) : Optional.empty();
    }
}
