package dev.ivvycontact.client;

import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Reads camel-http's answer (called with throwExceptionOnFailure=false): the body becomes the {@link ContactDocument},
 * or the classified failure is thrown. A 429 pauses every call for its Retry-After. Each outcome is reported to the
 * circuit, the call's meter and its span.
 */
public final class GetContactAnswer implements Processor {

    private final IvvyAnswerClassifier classifier;
    private final PipelineMetrics metrics;
    private final IvvyCircuit circuit;
    private final IvvyRateLimiter rateLimiter;

    public GetContactAnswer(IvvyAnswerClassifier classifier, PipelineMetrics metrics, IvvyCircuit circuit,
                            IvvyRateLimiter rateLimiter) {
        this.classifier = classifier;
        this.metrics = metrics;
        this.circuit = circuit;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        GetContactRequest.Call call = GetContactRequest.call(exchange);
        String outcome = status / 100 + "xx";
        byte[] body = message.getBody(byte[].class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        message.getHeaders().clear();
        try {
            ContactDocument contact = classifier.classify(status, body, retryAfter);
            circuit.answered();
            call.ended(metrics, outcome, status, null);
            message.setBody(contact);
        } catch (DeadLetterException messagesOwnFault) {
            circuit.answered();
            call.ended(metrics, outcome, status, messagesOwnFault);
            throw messagesOwnFault;
        } catch (TransientIvvyFailure failure) {
            if (status == 429) {
                rateLimiter.tooManyRequests(failure.retryAfter().orElse(null));
            }
            circuit.callFailed(call.contactId(), failure);
            call.ended(metrics, outcome, status, failure);
            throw failure;
        } catch (SystemicIvvyFailure failure) {
            circuit.callFailed(call.contactId(), failure);
            call.ended(metrics, outcome, status, failure);
            throw failure;
        }
    }
}
