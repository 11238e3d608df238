package dev.ivvycontact.client;

import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.TraceLogContext;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Reads camel-http's answer (called with throwExceptionOnFailure=false): the body becomes what the call asked for (a
 * contact, a page of the contact list), or the classified failure is thrown. A 429 pauses every call for its
 * Retry-After and tells the circuit iVvy is up (throttling, not down). Each outcome is reported to the circuit, the call's meter and its span.
 */
public final class IvvyAnswer implements Processor {

    /** How an answer of this call is classified: {@link IvvyAnswerClassifier}'s methods. */
    @FunctionalInterface
    public interface Classification {
        Object classify(int status, byte[] body, String retryAfter)
                throws DeadLetterException, TransientIvvyFailure, SystemicIvvyFailure;
    }

    private final Classification classification;
    private final PipelineMetrics metrics;
    private final IvvyCircuit circuit;
    private final IvvyRateLimiter rateLimiter;
    private final IvvyClock ivvyClock;

    public IvvyAnswer(Classification classification, PipelineMetrics metrics, IvvyCircuit circuit,
                      IvvyRateLimiter rateLimiter, IvvyClock ivvyClock) {
        this.classification = classification;
        this.metrics = metrics;
        this.circuit = circuit;
        this.rateLimiter = rateLimiter;
        this.ivvyClock = ivvyClock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SignedCall.Call call = SignedCall.call(exchange);
        try (TraceLogContext ignored = TraceLogContext.of(call.span())) { // the circuit's lines name the call's trace
            read(exchange, call);
        }
    }

    private void read(Exchange exchange, SignedCall.Call call) throws Exception {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String outcome = status / 100 + "xx";
        byte[] body = message.getBody(byte[].class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        ivvyClock.answered(message.getHeader("Date", String.class));
        message.getHeaders().clear();
        try {
            Object answer = classification.classify(status, body, retryAfter);
            call.answered(circuit);
            call.ended(metrics, outcome, status, null);
            message.setBody(answer);
        } catch (DeadLetterException messagesOwnFault) {
            call.answered(circuit);
            call.ended(metrics, outcome, status, messagesOwnFault);
            throw messagesOwnFault;
        } catch (TransientIvvyFailure failure) {
            if (status == 429) {
                rateLimiter.tooManyRequests(failure.retryAfter().orElse(null));
                call.throttled(circuit);
            } else {
                call.failed(circuit, failure);
            }
            call.ended(metrics, outcome, status, failure);
            throw failure;
        } catch (SystemicIvvyFailure failure) {
            call.failed(circuit, failure);
            call.ended(metrics, outcome, status, failure);
            throw failure;
        } catch (RuntimeException unexpected) { // a defect reading the answer: the call's span still ends
            call.ended(metrics, outcome, status, unexpected);
            throw unexpected;
        }
    }
}
