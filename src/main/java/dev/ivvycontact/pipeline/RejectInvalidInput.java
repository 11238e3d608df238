package dev.ivvycontact.pipeline;

import dev.ivvycontact.deadletter.DeadLetterException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The route's first step: an input the consumer could not read goes no further than the dead letters. */
public final class RejectInvalidInput implements Processor {

    @Override
    public void process(Exchange exchange) throws DeadLetterException {
        DeadLetterException rejection = LookupExchange.rejection(exchange);
        if (rejection != null) {
            throw rejection;
        }
    }
}
