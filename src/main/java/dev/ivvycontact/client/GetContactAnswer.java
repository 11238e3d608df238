package dev.ivvycontact.client;

import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.observe.PipelineMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Reads camel-http's answer (called with throwExceptionOnFailure=false): the body becomes the {@link ContactDocument},
 * or the classified failure is thrown. A Retry-After becomes the delay of Camel's next redelivery.
 */
public final class GetContactAnswer implements Processor {

    private final IvvyAnswerClassifier classifier;
    private final PipelineMetrics metrics;

    public GetContactAnswer(IvvyAnswerClassifier classifier, PipelineMetrics metrics) {
        this.classifier = classifier;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        GetContactRequest.recordCall(exchange, metrics, status / 100 + "xx");
        byte[] body = message.getBody(byte[].class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        message.getHeaders().clear();
        try {
            ContactDocument contact = classifier.classify(status, body, retryAfter);
            message.setBody(contact);
        } catch (TransientIvvyFailure failure) {
            failure.retryAfter().ifPresent(delay -> message.setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis()));
            throw failure;
        }
    }
}
