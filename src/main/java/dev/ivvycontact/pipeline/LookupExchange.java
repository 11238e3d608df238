package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.GetContactRequest;
import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactLookupRequest;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one lookup exchange carries, as exchange properties: pipeline state never travels in message headers, so
 * nothing of it can leak into the signed HTTP request (where any IVVY* header would join the signature).
 */
public final class LookupExchange {

    public static final String RECORD = "contactPipeline.record";
    public static final String REQUEST = "contactPipeline.request";
    public static final String REJECTION = "contactPipeline.rejection";
    public static final String CORRELATION_ID = "contactPipeline.correlationId";

    public static final String HEADER_CORRELATION_ID = "correlation-id";
    public static final String HEADER_CONTACT_ID = "ivvy-contact-id";

    private LookupExchange() {
    }

    @SuppressWarnings("unchecked")
    public static ConsumerRecord<byte[], byte[]> record(Exchange exchange) {
        return exchange.getProperty(RECORD, ConsumerRecord.class);
    }

    public static ContactLookupRequest request(Exchange exchange) {
        return exchange.getProperty(REQUEST, ContactLookupRequest.class);
    }

    public static DeadLetterException rejection(Exchange exchange) {
        return exchange.getProperty(REJECTION, DeadLetterException.class);
    }

    public static String correlationId(Exchange exchange) {
        return exchange.getProperty(CORRELATION_ID, String.class);
    }

    /** Calls made to iVvy for this record so far (0 when it was refused before any call). */
    public static int attempts(Exchange exchange) {
        return exchange.getProperty(GetContactRequest.ATTEMPTS, 0, Integer.class);
    }
}
