package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.RecordKeys;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.observe.LookupTracing;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads each input record once, as it is fetched: a lookup is ordered under its contact id (bare and JSON inputs of one
 * id are the same contact) and passes the iVvy circuit; refused input has no key, so it is dead-lettered at once, in
 * an iVvy outage too, and can never be taken for the circuit's probe.
 */
public final class ContactKeys implements RecordKeys {

    private final InputMessageParser parser;
    private final LookupTracing tracing;

    public ContactKeys(InputMessageParser parser, LookupTracing tracing) {
        this.parser = parser;
        this.tracing = tracing;
    }

    @Override
    public String keyOf(InputRecord input) {
        LookupState carried = input.attachment(LookupState.class);
        if (carried != null) { // read again after an aborted transaction: it goes on where it was
            return carried.request() == null ? null : carried.request().key();
        }
        ConsumerRecord<byte[], byte[]> record = input.record();
        String correlationId = correlationId(record);
        Span span = tracing.startLookup(record);
        try {
            LookupState state = LookupState.of(record, parser.parse(record.value()), correlationId, span);
            input.attach(state);
            span.setAttribute("ivvy.contact.id", state.request().contactId());
            return state.request().key();
        } catch (DeadLetterException refused) {
            input.attach(LookupState.refused(record, refused, correlationId, span));
            return null;
        }
    }

    /** A record let go unfinished (its partition went, or the instance stopped) ends its span: it is read again. */
    @Override
    public void released(InputRecord input) {
        input.attachment(LookupState.class).ended("released");
    }

    /** The input's correlation-id header, or a new one: all outputs of one input share it. */
    private static String correlationId(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(LookupExchange.HEADER_CORRELATION_ID);
        if (header != null && header.value() != null) {
            String value = new String(header.value(), StandardCharsets.UTF_8).strip();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return randomUuid().toString();
    }

    /**
     * A version 4 UUID from ThreadLocalRandom: unique enough to correlate outputs, and unlike UUID.randomUUID() it
     * does not take SecureRandom's lock once per input record.
     */
    private static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L,
                (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
    }
}
