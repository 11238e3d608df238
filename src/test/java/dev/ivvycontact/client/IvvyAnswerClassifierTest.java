package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of answer and non-answer, case by case. */
class IvvyAnswerClassifierTest {

    private final IvvyAnswerClassifier classifier = new IvvyAnswerClassifier(Json.newMapper(),
            Clock.fixed(Instant.parse("2026-11-28T18:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(30));

    @Test
    void aContactIsReturned() throws Exception {
        ContactDocument contact = classifier.classify(200, bytes("{\"id\":6,\"firstName\":\"Ann\",\"x\":[1]}"), null);
        assertThat(contact.summary().get("id").asLong()).isEqualTo(6);
        assertThat(contact.summary().get("firstName").asText()).isEqualTo("Ann");
        assertThat(contact.summary().get("email").isNull()).isTrue();
    }

    @Test
    void aContactListPageIsReturnedWithWhatIvvyServed() throws Exception {
        ContactListPage page = classifier.classifyList(200, bytes("{\"meta\":{\"totalResults\":120,\"start\":50,"
                + "\"perPage\":50,\"count\":2},\"results\":[{\"id\":8,\"modifiedDate\":\"2026-11-28 10:00:00 UTC\","
                + "\"firstName\":\"Ann\"},{\"id\":9}]}"), null);
        assertThat(page.totalResults()).isEqualTo(120);
        assertThat(page.start()).isEqualTo(50);
        assertThat(page.count()).isEqualTo(2);
        assertThat(page.results()).containsExactly(new ContactListPage.Listed(8, "2026-11-28 10:00:00 UTC"),
                new ContactListPage.Listed(9, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200 | {\"results\":[]}",
            "200 | {\"meta\":{\"totalResults\":1},\"results\":[{\"id\":\"x\"}]}",
            "200 | {\"meta\":{\"totalResults\":\"many\"},\"results\":[]}",
            "200 | <html>login page</html>",
            "429 | {\"errorCode\":429,\"message\":\"Too Many Requests\"}",
            "500 | ''"})
    void aListAnswerThatCantBeReadIsTransient(int status, String body) {
        assertThat(catchThrowable(() -> classifier.classifyList(status, bytes(body), "1")))
                .isInstanceOf(TransientIvvyFailure.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | {\"errorCode\":400,\"message\":\"'fromModifiedDate' does not validate\",\"specificCode\":23016}",
            "404 | {\"errorCode\":404,\"message\":\"Unable to find contact\",\"specificCode\":24096}",
            "463 | {\"errorCode\":463,\"message\":\"Key Revoked\"}",
            "401 | {\"errorCode\":401,\"message\":\"Request is stale\",\"specificCode\":23005}"})
    void aListRequestIvvyRefusesIsSystemicNeverAMessagesFault(int status, String body) {
        // No message to blame: the same request fails for every page, so the run stops and keeps the watermark.
        assertThat(catchThrowable(() -> classifier.classifyList(status, bytes(body), null)))
                .isInstanceOf(SystemicIvvyFailure.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "404 | {\"errorCode\":404,\"message\":\"Unable to find contact\",\"specificCode\":24096} | CONTACT_NOT_FOUND",
            "200 | {\"errorCode\":404,\"specificCode\":24096}                                       | CONTACT_NOT_FOUND",
            "400 | {\"errorCode\":400,\"message\":\"'id' does not validate\",\"specificCode\":23016} | INVALID_CONTACT_ID",
            "400 | {\"errorCode\":400,\"message\":\"'id' is required\",\"specificCode\":23017}       | INVALID_CONTACT_ID"})
    void theMessagesOwnFaultIsDeadLettered(int status, String body, DeadLetterReason reason) {
        Throwable thrown = catchThrowable(() -> classifier.classify(status, bytes(body), null));
        assertThat(thrown).isInstanceOf(DeadLetterException.class);
        assertThat(((DeadLetterException) thrown).reason()).isEqualTo(reason);
        assertThat(((DeadLetterException) thrown).ivvyError()).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401 | {\"errorCode\":401,\"message\":\"Request is stale\",\"specificCode\":23005}",
            "401 | {\"errorCode\":401,\"message\":\"Unauthorized\"}",
            "403 | {\"errorCode\":403,\"message\":\"Forbidden\"}",
            "462 | {\"errorCode\":462,\"message\":\"Session Expired\"}",
            "463 | {\"errorCode\":463,\"message\":\"Key Revoked\"}",
            "501 | {\"errorCode\":501,\"message\":\"Not Implemented\"}",
            "404 | {\"errorCode\":404,\"message\":\"Not Found\"}",
            "404 | <html>nginx 404</html>",
            "401 | ''"})
    void failuresEveryMessageWouldMeetAreSystemic(int status, String body) {
        assertThat(catchThrowable(() -> classifier.classify(status, bytes(body), null)))
                .isInstanceOf(SystemicIvvyFailure.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "500 | {\"errorCode\":500,\"message\":\"Internal Server Error\"}",
            "503 | {\"errorCode\":503,\"message\":\"Unavailable\"}",
            "429 | {\"errorCode\":429,\"message\":\"Too Many Requests\"}",
            "460 | {\"errorCode\":460,\"message\":\"Unknown\"}",
            "461 | {\"errorCode\":461,\"message\":\"Failed Request\"}",
            "502 | <html><body>Bad Gateway</body></html>",
            "503 | ''",
            "200 | ''",
            "200 | {\"id\":6,\"firstName\":\"tru",
            "200 | <html>login page</html>",
            "200 | [1,2]",
            "200 | {\"firstName\":\"no id\"}",
            "200 | {\"id\":6,\"eventRegistrations\":{\"not\":\"an array\"}}",
            "200 | {\"id\":6,\"eventRegistrations\":[{\"invoices\":[1]}]}"})
    void failuresWorthAnotherTryAreTransient(int status, String body) {
        assertThat(catchThrowable(() -> classifier.classify(status, bytes(body), null)))
                .isInstanceOf(TransientIvvyFailure.class);
    }

    @Test
    void retryAfterIsReadInSecondsAndAsAnHttpDate() {
        TransientIvvyFailure seconds = (TransientIvvyFailure) catchThrowable(() ->
                classifier.classify(429, bytes("{\"errorCode\":429}"), "7"));
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));
        TransientIvvyFailure date = (TransientIvvyFailure) catchThrowable(() ->
                classifier.classify(503, bytes(""), "Sat, 28 Nov 2026 18:00:30 GMT"));
        assertThat(date.retryAfter()).contains(Duration.ofSeconds(30));
        TransientIvvyFailure junk = (TransientIvvyFailure) catchThrowable(() ->
                classifier.classify(429, bytes(""), "soon"));
        assertThat(junk.retryAfter()).isEmpty();
    }

    /** Issue 8, item F: a Retry-After of years, in seconds or as a date, is cut to the configured cap. */
    @Test
    void aRetryAfterLongerThanTheCapIsCutToIt() {
        TransientIvvyFailure seconds = (TransientIvvyFailure) catchThrowable(() ->
                classifier.classify(429, bytes("{\"errorCode\":429}"), "99999999999999999"));
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(30));
        TransientIvvyFailure date = (TransientIvvyFailure) catchThrowable(() ->
                classifier.classify(503, bytes(""), "Fri, 01 Jan 2100 00:00:00 GMT"));
        assertThat(date.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void transportFailures() {
        assertThat(classifier.classifyTransport(new ConnectException("refused"))).isInstanceOf(SystemicIvvyFailure.class);
        assertThat(classifier.classifyTransport(new UnknownHostException("api.ivvy.invalid")))
                .isInstanceOf(SystemicIvvyFailure.class);
        assertThat(classifier.classifyTransport(new ConnectTimeoutException("connect timed out")))
                .isInstanceOf(SystemicIvvyFailure.class);
        assertThat(classifier.classifyTransport(new SocketTimeoutException("read timed out")))
                .isInstanceOf(TransientIvvyFailure.class);
        assertThat(classifier.classifyTransport(new SocketException("Connection reset")))
                .isInstanceOf(TransientIvvyFailure.class);
        assertThat(classifier.classifyTransport(new NoHttpResponseException("failed to respond")))
                .isInstanceOf(TransientIvvyFailure.class);
        assertThat(classifier.classifyTransport(new IOException("Premature end of chunk coded message body")))
                .isInstanceOf(TransientIvvyFailure.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
