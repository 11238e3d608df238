package dev.ivvycontact.client;

import dev.ivvycontact.signing.IvvySigner;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The call's last word, on every path (the route's doFinally): the signed headers, which hold the key and the
 * signature, leave the exchange, so no error handler, trace or log after the call can print them.
 */
public final class ForgetSignature implements Processor {

    @Override
    public void process(Exchange exchange) {
        IvvySigner.SIGNED_HEADERS.forEach(exchange.getMessage()::removeHeader);
    }
}
