package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ivvycontact.model.ContactDocument;
import dev.ivvycontact.model.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Replaces the contact with the lazy sequence of every message it produces (see {@link ContactOutputs}). */
public final class ContactSplitter implements Processor {

    private final ObjectMapper mapper;
    private final ObjectReader elementReader;
    private final Topics topics;

    public ContactSplitter(ObjectMapper mapper, Topics topics) {
        this.mapper = mapper;
        this.elementReader = Json.elementReader(mapper);
        this.topics = topics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ContactDocument contact = exchange.getMessage().getMandatoryBody(ContactDocument.class);
        exchange.getMessage().getHeaders().clear();
        LookupState state = LookupExchange.state(exchange);
        exchange.getMessage().setBody(new ContactOutputs(exchange.getContext(), mapper, elementReader, topics, contact,
                state.request().key(), state.correlationId()));
    }
}
