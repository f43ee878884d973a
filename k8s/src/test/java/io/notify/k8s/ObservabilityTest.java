package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.infra.test.DashboardMetrics;

/**
 * components/observability, offline: the Grafana dashboard is JSON Grafana can load, the alerts are a
 * PrometheusRule, every PromQL expression of either uses only metric names listed in metric-names.txt (the ones
 * the services export; system-tests' MetricNamesSystemTest proves a running suite exports them), and the
 * production overlays ship them.
 */
class ObservabilityTest {

    @Test
    void theDashboardParses_andEveryPanelQueriesPrometheus() throws IOException {
        JsonNode dashboard = Documents.JSON.readTree(DashboardMetrics.dashboard(Paths.repo()).toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as("targets of panel " + panel.path("title")).isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(panel.path("title").asText())
                    .isNotBlank());
        }
    }

    @Test
    void theAlertsCoverOutboxLag_deadLetters_socketDrops_and5xx() {
        List<ObjectNode> docs = Documents.read(DashboardMetrics.rules(Paths.repo()));
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).path("kind").asText()).isEqualTo("PrometheusRule");
        List<String> exprs = DashboardMetrics.expressions(Paths.repo());
        assertThat(String.join("\n", exprs)).contains("notify_outbox_lag_seconds", "notify_intake_dead_letters_total",
                "notify_gateway_dropped_total", "http_server_requests_seconds_count{status=~\"5..\"}");
    }

    @Test
    void everyMetricTheDashboardAndAlertsUse_isAListedOne() {
        Set<String> used = DashboardMetrics.metricNames(Paths.repo());
        Set<String> listed = DashboardMetrics.listed(Paths.repo());
        assertThat(used).as("metric names used").isNotEmpty();
        assertThat(used).filteredOn(name -> !DashboardMetrics.covered(name, listed))
                .as("names not in components/observability/metric-names.txt").isEmpty();
    }

    @Test
    void metricNames_areReadFromPromQl_withoutFunctionsLabelsOrDurations() {
        assertThat(DashboardMetrics.metricNames("sum by (job) (rate(http_server_requests_seconds_count{status=~\"5..\","
                + "job=\"x\"}[5m])) / ignoring(le) sum(rate(a_total[$__rate_interval] offset 1h)) > 1e3 and on(pod) b"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_count", "a_total", "b");
    }

    @Test
    void theProductionOverlaysShipTheDashboardRulesAndServiceMonitor() {
        for (String overlay : List.of("prod", "prod-ha")) {
            List<String> kinds = Builds.of(overlay).documents().stream()
                    .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();
            assertThat(kinds).as(overlay).contains("ConfigMap/notify-grafana-dashboard",
                    "PrometheusRule/notify-alerts", "ServiceMonitor/notify-services");
        }
    }
}
