package dev.ivvycontact.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Answers /observe/health, /observe/health/live and /observe/health/ready from Camel's health-check registry:
 * 200 when every check is UP, 503 otherwise, with each check's state, message and details as JSON.
 */
public final class HealthEndpoint implements Processor {

    /** Which checks a path reports. */
    public enum Scope { ALL, LIVENESS, READINESS }

    private final ObjectMapper mapper;
    private final Scope scope;

    public HealthEndpoint(ObjectMapper mapper, Scope scope) {
        this.mapper = mapper;
        this.scope = scope;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Collection<HealthCheck.Result> results = switch (scope) {
            case ALL -> HealthCheckHelper.invoke(exchange.getContext());
            case LIVENESS -> HealthCheckHelper.invokeLiveness(exchange.getContext());
            case READINESS -> HealthCheckHelper.invokeReadiness(exchange.getContext());
        };
        boolean up = results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
        ObjectNode body = mapper.createObjectNode().put("status", up ? "UP" : "DOWN");
        ArrayNode checks = body.putArray("checks");
        results.stream().sorted(Comparator.comparing(r -> r.getCheck().getId())).forEach(result -> {
            ObjectNode check = checks.addObject().put("name", result.getCheck().getId())
                    .put("status", result.getState().name());
            result.getMessage().ifPresent(message -> check.put("message", message));
            ObjectNode details = mapper.createObjectNode();
            for (Map.Entry<String, Object> detail : result.getDetails().entrySet()) {
                if (!detail.getKey().startsWith("invocation.") && !detail.getKey().startsWith("failure.")
                        && !detail.getKey().startsWith("success.")) {
                    details.put(detail.getKey(), String.valueOf(detail.getValue()));
                }
            }
            if (!details.isEmpty()) {
                check.set("details", details);
            }
        });
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
