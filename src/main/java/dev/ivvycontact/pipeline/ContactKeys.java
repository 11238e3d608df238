package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.consumer.RecordKeys;
import dev.ivvycontact.deadletter.DeadLetterException;
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

    public ContactKeys(InputMessageParser parser) {
        this.parser = parser;
    }

    @Override
    public String keyOf(InputRecord input) {
        ConsumerRecord<byte[], byte[]> record = input.record();
        String correlationId = correlationId(record);
        try {
            LookupState state = LookupState.of(record, parser.parse(record.value()), correlationId);
            input.attach(state);
            return state.request().key();
        } catch (DeadLetterException refused) {
            input.attach(LookupState.refused(record, refused, correlationId));
            return null;
        }
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
