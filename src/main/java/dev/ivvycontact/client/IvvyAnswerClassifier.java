package dev.ivvycontact.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.InvalidContactAnswerException;
import dev.ivvycontact.model.Json;
import java.io.IOException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Every outcome of a call to iVvy, sorted in one place into: the answer (a contact, a page of the contact list); the
 * message's own fault (dead letter); transient (try the same call again); systemic (every call would fail alike:
 * pause, never dead-letter).
 */
public final class IvvyAnswerClassifier {

    /** Error codes that say the request as a whole can't be served by this platform with these credentials. */
    private static final Set<Integer> SYSTEMIC_CODES = Set.of(401, 403, 404, 405, 406, 462, 463, 501);

    private final ObjectMapper mapper;
    private final ObjectReader contactReader;
    private final Clock clock;
    private final Duration maxRetryAfter;

    /** {@code maxRetryAfter}: the longest Retry-After honoured; a longer one is cut to it. */
    public IvvyAnswerClassifier(ObjectMapper mapper, Clock clock, Duration maxRetryAfter) {
        this.mapper = mapper;
        this.contactReader = Json.elementReader(mapper);
        this.clock = clock;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** Classifies a getContact answer: returns the contact, or throws what should happen to the message. */
    public ContactDocument classify(int status, byte[] body, String retryAfterHeader)
            throws DeadLetterException, TransientIvvyFailure, SystemicIvvyFailure {
        return classify(status, body, retryAfterHeader, answer -> ContactDocument.parse(answer, contactReader));
    }

    /**
     * Classifies a getContactList answer: returns the page, or throws. A list call has no message of its own to blame:
     * iVvy refusing the request itself (400) is systemic, as a wrong request is the same for every page.
     */
    public ContactListPage classifyList(int status, byte[] body, String retryAfterHeader)
            throws TransientIvvyFailure, SystemicIvvyFailure {
        try {
            return classify(status, body, retryAfterHeader, answer -> ContactListPage.parse(answer, contactReader));
        } catch (DeadLetterException refused) {
            throw new SystemicIvvyFailure("iVvy refused the contact list request: " + refused.getMessage(),
                    refused.ivvyError().orElse(null));
        }
    }

    private <T> T classify(int status, byte[] body, String retryAfterHeader, AnswerReader<T> reader)
            throws DeadLetterException, TransientIvvyFailure, SystemicIvvyFailure {
        byte[] answer = body == null ? new byte[0] : body;
        IvvyError error = IvvyError.parse(answer, mapper).orElse(null);
        if (error == null && status >= 200 && status < 300) {
            try {
                return reader.read(answer);
            } catch (InvalidContactAnswerException e) {
                throw new TransientIvvyFailure("HTTP " + status + ": " + e.getMessage(), null, null);
            }
        }
        Duration retryAfter = RetryAfter.parse(retryAfterHeader, clock, maxRetryAfter).orElse(null);
        if (error == null) {
            throw unreadable(status, answer, retryAfter);
        }
        throw failureFor(error, retryAfter);
    }

    /** Reads a 2xx answer's body into what the call asked for. */
    @FunctionalInterface
    private interface AnswerReader<T> {
        T read(byte[] answer) throws InvalidContactAnswerException;
    }

    /** Classifies a call that got no HTTP answer at all. */
    public Exception classifyTransport(Throwable failure) {
        String what = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        if (failure instanceof UnknownHostException || failure instanceof NoRouteToHostException
                || failure instanceof ConnectException || failure instanceof ConnectTimeoutException) {
            return new SystemicIvvyFailure("iVvy is unreachable (" + what + ")", null);
        }
        if (failure instanceof SocketTimeoutException || failure instanceof IOException) {
            return new TransientIvvyFailure("no answer from iVvy (" + what + ")", null, null);
        }
        return new TransientIvvyFailure("the call failed (" + what + ")", null, null);
    }

    /** Throws the message's dead letter or a systemic failure; returns the transient failure to throw otherwise. */
    private static TransientIvvyFailure failureFor(IvvyError error, Duration retryAfter)
            throws DeadLetterException, SystemicIvvyFailure {
        if (error.hasSpecificCode(IvvyError.CONTACT_NOT_FOUND)) {
            throw new DeadLetterException(DeadLetterReason.CONTACT_NOT_FOUND, error.describe(), error);
        }
        if (error.hasSpecificCode(IvvyError.REQUEST_STALE)) {
            throw new SystemicIvvyFailure(error.describe() + ": this machine's clock is more than 5 minutes off iVvy's",
                    error);
        }
        if (error.errorCode() == 400) {
            throw new DeadLetterException(DeadLetterReason.INVALID_CONTACT_ID, error.describe(), error);
        }
        if (SYSTEMIC_CODES.contains(error.errorCode())) {
            throw new SystemicIvvyFailure(error.describe(), error);
        }
        return new TransientIvvyFailure(error.describe(), error, retryAfter);
    }

    /** An answer that is not iVvy's JSON: what it means depends on the HTTP status alone. */
    private static TransientIvvyFailure unreadable(int status, byte[] answer, Duration retryAfter)
            throws SystemicIvvyFailure {
        String what = "HTTP " + status + " with " + (answer.length == 0 ? "an empty body" : "a body that is not iVvy JSON");
        if (SYSTEMIC_CODES.contains(status)) {
            throw new SystemicIvvyFailure(what + (status == 404 ? ": is the base URL right?" : ""), null);
        }
        return new TransientIvvyFailure(what, null, retryAfter);
    }
}
