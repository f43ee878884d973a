package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentBindsStrictlyToTheFabric8ModelOnAStableApi(String overlay) {
        Builds.Build build = Builds.of(overlay);
        assertThat(build.bindingViolations()).isEmpty();
        assertThat(build.manifest().resources()).hasSize(build.documents().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentValidatesAgainstTheKubernetesJsonSchemas(String overlay) {
        assertThat(SchemaValidation.validate(Builds.of(overlay).documents())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void crossReferencesHold(String overlay) {
        assertThat(CrossReferences.check(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerIsPinnedSizedProbedAndRestricted(String overlay) {
        assertThat(WorkloadPolicy.check(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheIngressReachesTheServicesAndOnlyTheServicesReachKafkaAndPostgres(String overlay) {
        assertThat(SuiteExpectations.network(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressRoutesTheOneOriginWithLongWebSocketTimeouts(String overlay) {
        assertThat(SuiteExpectations.ingress(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGatewayScalesAndDrainsWithinItsGracePeriod(String overlay) {
        assertThat(SuiteExpectations.gateway(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaGetsTheSuitesTopicsWithTheirPartitionCounts(String overlay) {
        assertThat(SuiteExpectations.topics(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachServiceIsConfiguredLikeTheLocalLaunchWithAddressesThatResolve(String overlay) {
        assertThat(SuiteExpectations.environment(Builds.of(overlay).manifest())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void secretsAreGeneratedFromGitIgnoredFilesAndCarryEveryKey(String overlay) {
        Manifest m = Builds.of(overlay).manifest();
        assertThat(m.all(Secret.class)).extracting(s -> s.getMetadata().getName())
                .allMatch(name -> name.startsWith("notify-db-") || name.startsWith("notify-jwt-"));
        assertThat(m.all(Secret.class)).flatExtracting(s -> List.copyOf(Manifest.keys(s))).containsExactlyInAnyOrder(
                "postgres-password", "auth-db-password", "notification-db-password", "jwt-private.pem");
        Path secrets = Paths.k8s().resolve("overlays").resolve(overlay).resolve("secrets/jwt-private.pem");
        Builds.run(Paths.repo(), "git", "check-ignore", "-q", secrets.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everythingLandsInTheOverlaysOwnNamespace(String overlay) {
        Manifest m = Builds.of(overlay).manifest();
        assertThat(m.resources()).allSatisfy(r -> assertThat(r.getKind().equals("Namespace") ? r.getMetadata().getName()
                : r.getMetadata().getNamespace()).isEqualTo("notify-" + overlay));
    }

    @org.junit.jupiter.api.Test
    void prodRunsNativeExecutablesSizedForThemBehindTlsAndDevRunsTheJvm() {
        Manifest prod = Builds.of("prod").manifest();
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
}
