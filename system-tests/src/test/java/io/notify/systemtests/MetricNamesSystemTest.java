package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;
import io.notify.infra.test.DashboardMetrics;
import io.notify.infra.test.PrometheusText;
import io.notify.infra.test.TestSocket;

/**
 * Every metric name the Grafana dashboard and the PrometheusRule alerts (k8s/components/observability) use is one
 * the running services actually export: read from {@code /q/metrics} of every service of the suite, after the
 * other system tests put traffic through it (and after a socket error of its own: the errors counter is created on
 * first use). A panel or alert added there is checked without a change here.
 */
@Order(Integer.MAX_VALUE - 2)
@ExtendWith(SuiteExtension.class)
class MetricNamesSystemTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMetricTheDashboardAndAlertsUse_isExportedByARunningService(Suite suite) throws Exception {
        Api api = new Api(suite);
        try (TestSocket socket = api.socket(api.login("user1", "wkwkwk"), TestSocket.Carrier.SUBPROTOCOL)) {
            socket.send("{\"type\":\"no_such_frame\",\"ref\":\"m1\"}");
            socket.await(f -> "error".equals(f.getString("type")), Duration.ofSeconds(10));
        }
        List<String> services = new ArrayList<>(List.of("auth-service", "notification-service"));
        services.addAll(suite.gateways());
        Set<String> exported = new TreeSet<>();
        for (String service : services) {
            Set<String> names = PrometheusText.names(scrape(suite.uri(service).resolve("/q/metrics")));
            assertThat(names).as(service + " exports metrics").isNotEmpty();
            exported.addAll(names);
        }

        Path repo = Path.of(System.getProperty("notify.repo.root", "..")).toAbsolutePath().normalize();
        Set<String> used = DashboardMetrics.metricNames(repo);
        assertThat(used).as("the dashboard's and alerts' metric names").isNotEmpty();
        assertThat(used).filteredOn(name -> !DashboardMetrics.exported(name, exported))
                .as("used by the dashboard or alerts but exported by no service").isEmpty();
    }

    private static String scrape(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
        return response.body();
    }
}
