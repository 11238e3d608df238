package dev.ivvycontact.client;

import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.observe.TraceLogContext;
import dev.ivvycontact.resilience.IvvyCircuit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * In the call's doCatch: a call that got no HTTP answer (whatever the HTTP client threw) is rethrown as transient or
 * systemic, its span ended.
 */
public final class IvvyTransportFailure implements Processor {

    private final IvvyAnswerClassifier classifier;
    private final PipelineMetrics metrics;
    private final IvvyCircuit circuit;

    public IvvyTransportFailure(IvvyAnswerClassifier classifier, PipelineMetrics metrics, IvvyCircuit circuit) {
        this.classifier = classifier;
        this.metrics = metrics;
        this.circuit = circuit;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SignedCall.Call call = SignedCall.call(exchange);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Exception classified = classifier.classifyTransport(caught);
        try (TraceLogContext ignored = TraceLogContext.of(call.span())) {
            call.failed(circuit, classified);
        }
        call.ended(metrics, "no_answer", 0, classified);
        throw classified;
    }
}
