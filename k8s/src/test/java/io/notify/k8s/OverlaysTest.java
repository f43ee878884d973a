package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** Every overlay, built with kubectl kustomize, passes every offline check. */
class OverlaysTest {

    static final Set<String> SERVICES = Set.of("auth-service", "notification-service", "gateway-service");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void everyDocumentBindsStrictlyToTheFabric8ModelOnAStableApi(String overlay) {
        Builds.Build build = Builds.of(overlay);
        assertThat(build.bindingViolations()).isEmpty();
        assertThat(build.manifest().resources()).hasSize(build.documents().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void everyDocumentValidatesAgainstTheKubernetesJsonSchemas(String overlay) {
        assertThat(SchemaValidation.validate(Builds.of(overlay).documents())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void crossReferencesHold(String overlay) {
        assertThat(CrossReferences.check(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void everyContainerIsPinnedSizedProbedAndRestricted(String overlay) {
        assertThat(WorkloadPolicy.check(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void onlyTheIngressReachesTheServicesAndOnlyTheServicesReachKafkaAndPostgres(String overlay) {
        assertThat(SuiteExpectations.network(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void theIngressRoutesTheOneOriginWithLongWebSocketTimeouts(String overlay) {
        assertThat(SuiteExpectations.ingress(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void theGatewayScalesAndDrainsWithinItsGracePeriod(String overlay) {
        assertThat(SuiteExpectations.gateway(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void kafkaGetsTheSuitesTopicsWithTheirPartitionCounts(String overlay) {
        assertThat(SuiteExpectations.topics(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void eachServiceIsConfiguredLikeTheLocalLaunchWithAddressesThatResolve(String overlay) {
        assertThat(SuiteExpectations.environment(Builds.of(overlay).manifest())).isEmpty();
    }

    /** The Secrets each overlay generates, with their keys: prod-ha's database ones are CloudNativePG's basic-auth Secrets. */
    static final Map<String, Map<String, Set<String>>> SECRETS = Map.of(
            "dev", Map.of("notify-db", Set.of("postgres-password", "auth-db-password", "notification-db-password"),
                    "notify-jwt", Set.of("jwt-private.pem"), "notify-gateway-client", Set.of("client-secret")),
            "prod", Map.of("notify-db", Set.of("postgres-password", "auth-db-password", "notification-db-password"),
                    "notify-jwt", Set.of("jwt-private.pem"), "notify-gateway-client", Set.of("client-secret")),
            "prod-ha", Map.of("notify-db-auth", Set.of("username", "password"), "notify-db-notification", Set.of("username", "password"),
                    "notify-jwt", Set.of("jwt-private.pem"), "notify-gateway-client", Set.of("client-secret")));

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void secretsAreGeneratedFromGitIgnoredFilesAndCarryEveryKey(String overlay) {
        Manifest m = Builds.of(overlay).manifest();
        Map<String, Set<String>> generated = new java.util.TreeMap<>();
        // a generated name is the generator's name and a 10-character content hash
        m.all(Secret.class).forEach(s -> generated.put(s.getMetadata().getName().replaceAll("-[a-z0-9]{10}$", ""), Manifest.keys(s)));
        assertThat(generated).isEqualTo(SECRETS.get(overlay));
        Path secrets = Paths.k8s().resolve("overlays").resolve(overlay).resolve("secrets/jwt-private.pem");
        Builds.run(Paths.repo(), "git", "check-ignore", "-q", secrets.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void everythingLandsInTheOverlaysOwnNamespace(String overlay) {
        Manifest m = Builds.of(overlay).manifest();
        assertThat(m.resources()).allSatisfy(r -> assertThat(r.getKind().equals("Namespace") ? r.getMetadata().getName()
                : r.getMetadata().getNamespace()).isEqualTo("notify-" + overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "prod-ha"})
    void prodRunsNativeExecutablesSizedForThemBehindTlsAndDevRunsTheJvm(String overlay) {
        Manifest prod = Builds.of(overlay).manifest();
        Manifest dev = Builds.of("dev").manifest();
        for (String service : SERVICES) {
            Container native_ = prod.workload(service).orElseThrow().pod().getContainers().get(0);
            Container jvm = dev.workload(service).orElseThrow().pod().getContainers().get(0);
            assertThat(native_.getImage()).endsWith(":0.1.0-native");
            assertThat(jvm.getImage()).endsWith(":0.1.0-jvm");
            long nativeLimit = Quantity.getAmountInBytes(native_.getResources().getLimits().get("memory")).longValue();
            long jvmLimit = Quantity.getAmountInBytes(jvm.getResources().getLimits().get("memory")).longValue();
            assertThat(nativeLimit).as(service).isLessThan(jvmLimit);
        }
        assertThat(prod.all(Ingress.class)).allSatisfy(i -> assertThat(i.getSpec().getTls()).isNotEmpty());
    }

    @org.junit.jupiter.api.Test
    void prodHaRunsTheServicesExactlyAsProd() {
        Manifest prod = Builds.of("prod").manifest();
        Manifest ha = Builds.of("prod-ha").manifest();
        for (String service : List.of("auth-service", "notification-service", "gateway-service", "frontend")) {
            var p = prod.workload(service).orElseThrow();
            var h = ha.workload(service).orElseThrow();
            assertThat(h.pod().getContainers().get(0).getResources()).as(service).isEqualTo(p.pod().getContainers().get(0).getResources());
            assertThat(h.pod().getContainers().get(0).getImage()).as(service).isEqualTo(p.pod().getContainers().get(0).getImage());
            assertThat(((io.fabric8.kubernetes.api.model.apps.Deployment) h.owner()).getSpec().getReplicas()).as(service)
                    .isEqualTo(((io.fabric8.kubernetes.api.model.apps.Deployment) p.owner()).getSpec().getReplicas());
        }
    }

    @org.junit.jupiter.api.Test
    void prodHaKeepsNoSingleNodeKafkaOrPostgres() {
        Manifest ha = Builds.of("prod-ha").manifest();
        assertThat(ha.workloads()).filteredOn(w -> !w.operated()).extracting(Manifest.Workload::name)
                .containsExactlyInAnyOrder("auth-service", "notification-service", "gateway-service", "frontend");
        assertThat(ha.all(io.fabric8.kubernetes.api.model.Service.class)).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("auth-service", "notification-service", "gateway-service", "frontend");
        assertThat(ha.workloads()).filteredOn(Manifest.Workload::operated).extracting(Manifest.Workload::name)
                .containsExactlyInAnyOrder("notify-broker", "notify-controller", "notify-entity-operator", "postgres");
    }

    @org.junit.jupiter.api.Test
    void prodHaRunsPostgresOnTheOperatorWithADatabaseAndRolePerService() {
        assertThat(SuiteExpectations.database(Builds.of("prod-ha").manifest())).isEmpty();
    }
}
