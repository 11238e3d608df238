package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.observe.LookupTracing;
import io.opentelemetry.api.trace.Span;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Replaces the contact with the lazy sequence of every message it produces (see {@link ContactOutputs}), and starts
 * the span of their publishing, whose trace context every output carries.
 */
public final class ContactSplitter implements Processor {

    private final ObjectMapper mapper;
    private final ObjectReader elementReader;
    private final Topics topics;
    private final LookupTracing tracing;

    public ContactSplitter(ObjectMapper mapper, Topics topics, LookupTracing tracing) {
        this.mapper = mapper;
        this.elementReader = Json.elementReader(mapper);
        this.topics = topics;
        this.tracing = tracing;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ContactDocument contact = exchange.getMessage().getMandatoryBody(ContactDocument.class);
        exchange.getMessage().getHeaders().clear();
        LookupState state = LookupExchange.state(exchange);
        Span publish = tracing.startPublish(state.traceContext(), topics.contacts());
        exchange.setProperty(LookupExchange.PUBLISH_SPAN, publish);
        exchange.getMessage().setBody(new ContactOutputs(exchange.getContext(), mapper, elementReader, topics, contact,
                state.request().key(), state.correlationId(), LookupTracing.headersOf(publish)));
    }
}
