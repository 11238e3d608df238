package dev.ivvycontact.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ivvycontact.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL the Grafana dashboard and the Kubernetes alerting rules run, and the metric names it asks for. */
public final class DashboardQueries {

    public static final Path DASHBOARD = Path.of("observability/grafana/dashboards/ivvy-contact-pipeline.json");
    public static final Path ALERTS = Path.of("deploy/kubernetes/components/prometheus-operator/prometheusrule.yaml");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?=\\s*(\\(?))");

    private DashboardQueries() {
    }

    /** Every alerting rule's expression. */
    @SuppressWarnings("unchecked")
    public static Set<String> alertExpressions() throws IOException {
        Map<String, Object> rule = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(ALERTS));
        Set<String> expressions = new TreeSet<>();
        for (Object group : (List<Object>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            for (Object each : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                expressions.add((String) ((Map<String, Object>) each).get("expr"));
            }
        }
        return expressions;
    }

    /** Every expression of every panel. */
    public static Set<String> expressions() throws IOException {
        Set<String> expressions = new TreeSet<>();
        for (JsonNode panel : Json.newMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asText());
            }
        }
        return expressions;
    }

    /** The metric names in a PromQL expression: identifiers outside label matchers, grouping clauses and ranges, not called. */
    public static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            boolean called = !m.group(1).isEmpty();
            if (!called && !KEYWORDS.contains(m.group()) && !Character.isDigit(m.group().charAt(0))) {
                names.add(m.group());
            }
        }
        return names;
    }
}
