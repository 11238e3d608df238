package dev.ivvycontact.deadletter;

import dev.ivvycontact.client.IvvyError;
import dev.ivvycontact.observe.LookupTracing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of one input record: its key, value and headers untouched, plus the dlt-* headers, except
 * the W3C trace context: a dead letter carries exactly one {@code traceparent}, its own publish span's, in the trace of
 * the lookup (which is the input's trace when the input had one).
 */
public final class DeadLetter {

    private static final int MAX_ERROR_LENGTH = 1000;

    private DeadLetter() {
    }

    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> input, String deadLetterTopic,
                                                    DeadLetterReason reason, String error, int attempts,
                                                    Optional<IvvyError> ivvyError, Instant failedAt,
                                                    Map<String, String> traceHeaders) {
        Headers headers = new RecordHeaders(input.headers().toArray());
        headers.remove(LookupTracing.TRACEPARENT);
        headers.remove(LookupTracing.TRACESTATE);
        add(headers, DeadLetterHeaders.REASON, reason.name());
        add(headers, DeadLetterHeaders.ERROR, oneLine(error));
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, input.topic());
        add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(input.partition()));
        add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(input.offset()));
        add(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        add(headers, DeadLetterHeaders.FAILED_AT, failedAt.toString());
        ivvyError.ifPresent(e -> {
            add(headers, DeadLetterHeaders.IVVY_ERROR_CODE, Integer.toString(e.errorCode()));
            if (e.specificCode() != null) {
                add(headers, DeadLetterHeaders.IVVY_SPECIFIC_CODE, Integer.toString(e.specificCode()));
            }
        });
        traceHeaders.forEach((name, value) -> add(headers, name, value));
        return new ProducerRecord<>(deadLetterTopic, null, input.key(), input.value(), headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String oneLine(String error) {
        String line = error == null ? "unknown error" : error.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() <= MAX_ERROR_LENGTH ? line : line.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
