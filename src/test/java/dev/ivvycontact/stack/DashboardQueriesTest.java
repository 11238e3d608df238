package dev.ivvycontact.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

    @Test
    void metricNamesAreFoundAndFunctionsLabelsAndRangesAreNot() {
        assertThat(DashboardQueries.metricNames("histogram_quantile(0.99, sum by (le) (rate(ivvy_calls_seconds_bucket[5m])))"))
                .containsExactly("ivvy_calls_seconds_bucket");
        assertThat(DashboardQueries.metricNames("sum(jvm_memory_used_bytes{area=\"heap\"}) / sum(jvm_memory_max_bytes)"))
                .containsExactly("jvm_memory_max_bytes", "jvm_memory_used_bytes");
        assertThat(DashboardQueries.metricNames("max(pipeline_ivvy_circuit_state)")).containsExactly("pipeline_ivvy_circuit_state");
    }

    @Test
    void theDashboardCoversWhatAnOperatorWatches() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String expression : DashboardQueries.expressions()) {
            names.addAll(DashboardQueries.metricNames(expression));
        }
        assertThat(names).contains("pipeline_lookups_total", "ivvy_calls_seconds_bucket", "ivvy_call_retries_total",
                "pipeline_lookups_in_flight", "pipeline_buffered_records", "pipeline_consumer_lag",
                "pipeline_dead_letters_total", "pipeline_ivvy_circuit_state", "jvm_memory_used_bytes");
    }
}
