package dev.ivvycontact.pipeline;

import dev.ivvycontact.observe.PipelineMetrics;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The route's last step, reached once Kafka has acknowledged every output of the lookup. */
public final class LookupPublished implements Processor {

    private final PipelineMetrics metrics;

    public LookupPublished(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        metrics.lookupFinished("published");
        exchange.getProperty(LookupExchange.PUBLISH_SPAN, Span.class).end();
        LookupExchange.state(exchange).ended("published");
    }
}
