package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The vendored operator CRDs are the originals they name, and they are the ones the HA overlay uses. */
class CrdsTest {

    @Test
    void everyVendoredCrdIsUnchangedFromTheGitBlobItsHeaderNames() {
        assertThat(Crds.all()).isNotEmpty();
        assertThat(Crds.provenance(Crds.all())).isEmpty();
    }

    @Test
    void theCrdsServeExactlyTheKindsTheHaOverlayUsesOnTheirCurrentApi() {
        assertThat(Crds.servedSchemas().keySet()).containsExactlyInAnyOrder(
                "kafka.strimzi.io/v1/Kafka", "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/v1/KafkaTopic",
                "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Database",
                "monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/v1/ServiceMonitor");
        assertThat(Builds.of("prod-ha").documents()).filteredOn(d -> !ModelBinding.ALLOWED.containsKey(
                d.path("apiVersion").asText() + "/" + d.path("kind").asText()))
                .extracting(d -> d.path("apiVersion").asText() + "/" + d.path("kind").asText()).containsOnly(
                        Crds.servedSchemas().keySet().toArray(String[]::new));
    }
}
