package dev.ivvycontact.pipeline;

import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.deadletter.DeadLetterException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The route's first step: an input that could not be read goes no further than the dead letters; a lookup becomes
 * the body of the call, with the record's call history beside it.
 */
public final class RejectInvalidInput implements Processor {

    @Override
    public void process(Exchange exchange) throws DeadLetterException {
        LookupState state = LookupExchange.state(exchange);
        if (state.rejection() != null) {
            throw state.rejection();
        }
        exchange.getMessage().setBody(state.request());
        exchange.setProperty(CallHistory.PROPERTY, state);
    }
}
