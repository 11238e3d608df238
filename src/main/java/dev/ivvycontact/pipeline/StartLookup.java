package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.deadletter.DeadLetterException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The route's first step: a record whose dead letter is already decided (input that could not be read, or a round's
 * dead letter Kafka has not taken yet) goes straight to it, calling nobody; a lookup becomes the body of the call,
 * with the record's call history beside it.
 */
public final class StartLookup implements Processor {

    @Override
    public void process(Exchange exchange) throws DeadLetterException {
        LookupState state = LookupExchange.state(exchange);
        if (state.deadLetter() != null) {
            throw state.deadLetter();
        }
        exchange.getMessage().setBody(state.request());
        exchange.setProperty(CallHistory.PROPERTY, state);
    }
}
