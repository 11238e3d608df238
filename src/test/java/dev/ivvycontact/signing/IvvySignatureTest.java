package dev.ivvycontact.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented vectors, and values computed independently with openssl for the cases the documentation lacks. */
class IvvySignatureTest {

    private static final byte[] EXAMPLE_BODY = "{\"example\":\"body\"}".getBytes(StandardCharsets.UTF_8);
    private static final String PING_STRING_TO_SIGN =
            "posta09f600c77a6dbd947db24c61e8935caapplication/json/api/1.0/test?action=ping1.0ivvydate=2012-04-03 22:23:24";

    @Test
    void md5OfTheDocumentedBodyIsLowercaseHex() {
        assertThat(EXAMPLE_BODY).hasSize(18);
        assertThat(IvvySignature.md5Hex(EXAMPLE_BODY)).isEqualTo("a09f600c77a6dbd947db24c61e8935ca");
    }

    @Test
    void md5OfAnEmptyBodyIsStillSent() {
        assertThat(IvvySignature.md5Hex(new byte[0])).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void md5IsOverTheUtf8BytesOfANonAsciiBody() {
        byte[] body = "{\"id\":6,\"name\":\"Zoë Ñandú 東京\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(IvvySignature.md5Hex(body)).isEqualTo("7156c0770259ac03bc4bd43d3c2fd182");
    }

    @Test
    void documentedHmacExample() {
        assertThat(IvvySignature.hmacSha1Hex("string to sign", "my secret key"))
                .isEqualTo("a993876ea1218921a1c8551923473da7b310dfae");
    }

    @Test
    void documentedPingStringToSign() {
        String toSign = IvvySignature.stringToSign("POST", IvvySignature.md5Hex(EXAMPLE_BODY), "application/json", "",
                "/api/1.0/test?action=ping", "1.0",
                IvvySignature.canonicalIvvyHeaders(Map.of("IVVY-Date", "2012-04-03 22:23:24")));
        assertThat(toSign).isEqualTo(PING_STRING_TO_SIGN);
    }

    @Test
    void pingSignatureMatchesOpenssl() {
        assertThat(IvvySignature.hmacSha1Hex(PING_STRING_TO_SIGN, "my secret key"))
                .isEqualTo("74af7ec6fec55dc88543e05096c69cebaf391eb9");
    }

    @Test
    void secretIsUsedAsGivenNotLowerCased() {
        assertThat(IvvySignature.hmacSha1Hex(PING_STRING_TO_SIGN, "My Secret KEY"))
                .isEqualTo("5a8b2df641ebfb25864e487fea00d2c532321f92");
    }

    @Test
    void ivvyHeadersAreStrippedSortedAndOthersIgnored() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("IVVY_Zeta", "z");
        headers.put("Content-Type", "application/json");
        headers.put("IVVY-Date", "2012-04-03 22:23:24");
        headers.put("ivvy-alpha", "A");
        assertThat(IvvySignature.canonicalIvvyHeaders(headers))
                .isEqualTo("ivvyalpha=A&IVVYDate=2012-04-03 22:23:24&IVVYZeta=z");
    }

    @Test
    void signerProducesTheDocumentedPingSignatureAtTheDocumentedInstant() {
        IvvySigner signer = signerAt("2012-04-03T22:23:24Z", "my secret key");
        Map<String, String> headers = signer.sign("POST", "/api/1.0/test?action=ping", "application/json", EXAMPLE_BODY);
        assertThat(headers)
                .containsEntry("Content-MD5", "a09f600c77a6dbd947db24c61e8935ca")
                .containsEntry("IVVY-Date", "2012-04-03 22:23:24")
                .containsEntry("X-Api-Version", "1.0")
                .containsEntry("X-Api-Authorization", "IWS key123:74af7ec6fec55dc88543e05096c69cebaf391eb9")
                .doesNotContainKey("Date");
    }

    @Test
    void signerLowerCasesTheStringButNotTheSecretForNonAsciiBodies() {
        IvvySigner signer = signerAt("2026-11-28T18:00:00Z", "Sëcret-Ünïcode");
        byte[] body = "{\"id\":6,\"name\":\"Zoë Ñandú 東京\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signer.sign("POST", "/api/1.0/contact?action=getContact", "application/json", body);
        assertThat(headers.get("X-Api-Authorization")).isEqualTo("IWS key123:b74a8097a6f71c58b02cd97040241806938ec83e");
    }

    @Test
    void emptyBodyIsSignedWithItsMd5() {
        IvvySigner signer = signerAt("2026-11-28T18:00:00Z", "my secret key");
        Map<String, String> headers = signer.sign("POST", "/api/1.0/test?action=ping", "application/json", new byte[0]);
        assertThat(headers.get("X-Api-Authorization")).isEqualTo("IWS key123:83854ec06180086ef9f045999e7ce3edf1563e2c");
    }

    @Test
    void eachSigningReadsTheClockAfresh() {
        Clock[] clock = {Clock.fixed(Instant.parse("2026-11-28T18:00:00Z"), ZoneOffset.UTC)};
        IvvySigner signer = new IvvySigner(new ApiCredentials("key123", "s"), new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return clock[0].instant(); }
        });
        Map<String, String> first = signer.sign("POST", "/x", "application/json", EXAMPLE_BODY);
        clock[0] = Clock.fixed(Instant.parse("2026-11-28T18:00:07Z"), ZoneOffset.UTC);
        Map<String, String> second = signer.sign("POST", "/x", "application/json", EXAMPLE_BODY);
        assertThat(second.get("IVVY-Date")).isEqualTo("2026-11-28 18:00:07");
        assertThat(second.get("X-Api-Authorization")).isNotEqualTo(first.get("X-Api-Authorization"));
    }

    @Test
    void credentialsNeverPrintTheSecretNorTheWholeKey() {
        ApiCredentials credentials = new ApiCredentials("AK-7f3e9a1c44d2", "topsecret");
        assertThat(credentials.toString()).contains("****44d2").doesNotContain("AK-7f3e9a1c44d2").doesNotContain("topsecret");
        assertThat(credentials.maskedKey()).isEqualTo("****44d2");
        assertThat(new ApiCredentials("short", "s").maskedKey()).as("a short key shows nothing").isEqualTo("****");
    }

    private static IvvySigner signerAt(String instant, String secret) {
        return new IvvySigner(new ApiCredentials("key123", secret), Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }
}
