package dev.ivvycontact.pipeline;

import dev.ivvycontact.consumer.InputRecord;
import dev.ivvycontact.deadletter.DeadLetterException;
import org.apache.camel.Exchange;

/**
 * What one round's exchange carries, as exchange properties: pipeline state never travels in message headers, so
 * nothing of it can leak into the signed HTTP request (where any IVVY* header would join the signature).
 */
public final class LookupExchange {

    /** The {@link LookupState}, where the route was not started by the keyed-kafka consumer (the benchmark's baseline). */
    public static final String STATE = "contactPipeline.state";
    /** The dead letter {@link LookupFailures} decided on for this round. */
    public static final String DEAD_LETTER = "contactPipeline.deadLetter";
    /** The span of this round's publishing of the outputs, ended when Kafka has acknowledged them (or refused). */
    public static final String PUBLISH_SPAN = "contactPipeline.publishSpan";

    public static final String HEADER_CORRELATION_ID = "correlation-id";
    public static final String HEADER_CONTACT_ID = "ivvy-contact-id";
    public static final String HEADER_EVENT_ID = "ivvy-event-id";

    private LookupExchange() {
    }

    public static LookupState state(Exchange exchange) {
        LookupState state = exchange.getProperty(STATE, LookupState.class);
        return state != null ? state : InputRecord.of(exchange).attachment(LookupState.class);
    }

    public static DeadLetterException deadLetter(Exchange exchange) {
        return exchange.getProperty(DEAD_LETTER, DeadLetterException.class);
    }
}
