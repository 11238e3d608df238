package dev.ivvycontact.observe;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of a lookup, in W3C trace context: one CONSUMER span per input record (its parent the input's
 * {@code traceparent} when it has a valid one, else a new trace), living across all the record's rounds, retries and
 * holds; a CLIENT child per iVvy call; a PRODUCER child per publish (the outputs, or the dead letter), whose context
 * every output and dead letter carries as its one {@code traceparent}. Attributes never hold the key, the secret or
 * a signature: only what the names below say.
 */
public final class LookupTracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("pipeline.outcome");
    static final AttributeKey<Long> CONTACT_ID = AttributeKey.longKey("ivvy.contact.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ivvy.attempt");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> ERROR_CODE = AttributeKey.longKey("ivvy.error_code");
    static final AttributeKey<Long> SPECIFIC_CODE = AttributeKey.longKey("ivvy.specific_code");
    static final AttributeKey<Long> RETRY_AFTER_MS = AttributeKey.longKey("ivvy.retry_after_ms");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    /** The last header of a name, as Kafka clients and the W3C recommend for repeated headers. */
    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final String consumerGroup;
    private final String serverAddress;
    private final long serverPort;

    public LookupTracing(OpenTelemetry telemetry, String consumerGroup, String ivvyBaseUrl) {
        this.tracer = telemetry.getTracer("dev.ivvycontact.pipeline");
        this.consumerGroup = consumerGroup;
        URI base = URI.create(ivvyBaseUrl);
        this.serverAddress = base.getHost();
        this.serverPort = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
    }

    /** The lookup of an input record, from the moment it is fetched. */
    public Span startLookup(ConsumerRecord<byte[], byte[]> record) {
        Context parent = W3C.extract(Context.root(), record.headers(), KAFKA_HEADERS);
        return tracer.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.consumer.group.name", consumerGroup)
                .startSpan();
    }

    /** The lookup ended: {@code published}, {@code dead_lettered}, or {@code released} (to be read again). */
    public static void endLookup(Span lookup, String outcome) {
        lookup.setAttribute(OUTCOME, outcome);
        lookup.end();
    }

    /** One signed call to iVvy ({@code action}: getContact, getContactList), a child of {@code parent}. */
    public Span startCall(Context parent, String action, long contactId, int attempt) {
        var span = tracer.spanBuilder("POST " + action).setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST")
                .setAttribute("server.address", serverAddress)
                .setAttribute("server.port", serverPort)
                .setAttribute("url.path", "/api/1.0/contact")
                .setAttribute("ivvy.action", action)
                .setAttribute(ATTEMPT, (long) attempt);
        if (contactId > 0) {
            span.setAttribute(CONTACT_ID, contactId);
        }
        return span.startSpan();
    }

    /**
     * Ends a call's span with what came back: the HTTP status (0: no answer), iVvy's error and specific codes and
     * Retry-After when it sent them, and the failure it was classified as, if any.
     */
    public static void endCall(Span call, int status, Integer errorCode, Integer specificCode, Duration retryAfter,
                               Throwable failure) {
        if (status > 0) {
            call.setAttribute(STATUS, (long) status);
        }
        if (errorCode != null) {
            call.setAttribute(ERROR_CODE, errorCode.longValue());
        }
        if (specificCode != null) {
            call.setAttribute(SPECIFIC_CODE, specificCode.longValue());
        }
        if (retryAfter != null) {
            call.setAttribute(RETRY_AFTER_MS, retryAfter.toMillis());
        }
        if (failure == null) {
            call.end();
        } else {
            endFailed(call, failure);
        }
    }

    /** Publishing the lookup's outputs, or its dead letter, to {@code topic}: a child of {@code lookup}. */
    public Span startPublish(Context lookup, String topic) {
        return tracer.spanBuilder(topic + " publish").setParent(lookup).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
    }

    /** A sync run over {@code window}: the root of its list calls' spans. */
    public Span startSyncRun(String window) {
        return tracer.spanBuilder("ivvy contact sync").setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setAttribute("ivvy.sync.window", window).startSpan();
    }

    /** Ends a span that failed, with the failure's type (its message may quote iVvy, never a secret). */
    public static void endFailed(Span span, Throwable failure) {
        span.setStatus(StatusCode.ERROR, failure.getMessage() == null ? "" : failure.getMessage());
        span.setAttribute(ERROR_TYPE, failure.getClass().getSimpleName());
        span.end();
    }

    /** The W3C headers that carry {@code span}'s context to a record: traceparent, and tracestate when there is one. */
    public static Map<String, String> headersOf(Span span) {
        Map<String, String> headers = new LinkedHashMap<>();
        W3C.inject(Context.root().with(span), headers, Map::put);
        return headers;
    }
}
