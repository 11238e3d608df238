package dev.ivvycontact.client;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** In the call's doCatch: a call that got no HTTP answer is rethrown as transient or systemic. */
public final class GetContactTransportFailure implements Processor {

    private final IvvyAnswerClassifier classifier;

    public GetContactTransportFailure(IvvyAnswerClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw classifier.classifyTransport(caught);
    }
}
