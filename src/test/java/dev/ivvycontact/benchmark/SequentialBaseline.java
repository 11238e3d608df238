package dev.ivvycontact.benchmark;

import dev.ivvycontact.client.CallHistory;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.pipeline.InputMessageParser;
import dev.ivvycontact.pipeline.LookupExchange;
import dev.ivvycontact.pipeline.LookupState;
import dev.ivvycontact.pipeline.PipelineApplication;
import io.opentelemetry.api.trace.Span;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;

/**
 * The baseline the benchmark compares against: the module's configuration and beans, but consumed by the plain
 * camel-kafka route of benchmark/sequential-baseline.yaml. Configured by the same environment variables as `run`.
 */
public final class SequentialBaseline {

    private SequentialBaseline() {
    }

    public static void main(String[] args) throws Exception {
        Properties overrides = new Properties();
        overrides.put("camel.main.routes-include-pattern",
                "classpath:routes/ivvy-call.yaml,classpath:benchmark/sequential-baseline.yaml");
        overrides.put("benchmark.consumers", System.getenv().getOrDefault("BENCHMARK_CONSUMERS", "3"));
        Main main = PipelineApplication.create(overrides);
        InputMessageParser parser = new InputMessageParser(Json.newMapper());
        main.bind("baselineInput", (org.apache.camel.Processor) exchange -> readInput(exchange, parser));
        main.run();
    }

    private static void readInput(Exchange exchange, InputMessageParser parser) throws Exception {
        ContactLookupRequest request = parser.parse(exchange.getMessage().getBody(byte[].class));
        LookupState state = LookupState.of(null, request, UUID.randomUUID().toString(), Span.getInvalid());
        exchange.setProperty(LookupExchange.STATE, state);
        exchange.setProperty(CallHistory.PROPERTY, state);
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(request);
    }
}
