package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every overlay applied to a real kube-apiserver (v1.34, tools/kube-apiserver) the way a user applies
 * it, {@code kubectl apply -k --server-side --validate=strict}, after the vendored Strimzi and
 * CloudNativePG CRDs: every object is accepted (the API server's own validation, defaulting and
 * admission, custom resources against the operators' schemas with their CEL rules), without
 * warnings, and applying the same overlay again changes no object.
 */
class ApiServerApplyTest {

    private static ApiServer server;

    @BeforeAll
    static void startTheApiServerWithTheOperatorsCrds() throws IOException {
        server = ApiServer.start();
        ApiServer.Result crds = server.kubectl("apply", "--server-side", "--validate=strict", "-R", "-f", Crds.dir().toString());
        assertThat(crds.exitCode()).as(crds.describe()).isZero();
        List<String> names = Crds.all().stream().map(c -> "crd/" + c.name()).toList();
        ApiServer.Result established = server.kubectl(concat(List.of("wait", "--for", "condition=Established", "--timeout=60s"), names));
        assertThat(established.exitCode()).as(established.describe()).isZero();
    }

    @AfterAll
    static void stopTheApiServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-ha"})
    void everyObjectIsAcceptedWithoutWarningsAndApplyingAgainChangesNothing(String overlay) throws IOException {
        Path copy = Files.createTempDirectory("notify-k8s-apply-");
        try {
            Path dir = Builds.prepare(overlay, copy);
            List<ObjectNode> built = Documents.parse(Kustomize.build(dir));

            ApiServer.Result first = apply(dir);
            assertThat(first.stdout().lines()).hasSize(built.size()).allMatch(line -> line.endsWith(" serverside-applied"));
            Map<String, String> stored = resourceVersions(dir);
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(built.stream().map(Documents::id).toList());

            apply(dir);
            assertThat(resourceVersions(dir)).as("objects changed by applying %s again", overlay).isEqualTo(stored);
        } finally {
            Builds.deleteTree(copy);
        }
    }

    @Test
    void theApiServerRejectsCustomResourcesTheirCrdDoesNotAllow() {
        ApiServer.Result namespace = server.kubectl("create", "namespace", "notify-broken");
        assertThat(namespace.exitCode()).as(namespace.describe()).isZero();
        ApiServer.Result rejected = server.kubectl("apply", "--server-side", "--validate=strict", "-n", "notify-broken", "-f",
                Paths.k8s().resolve("src/test/resources/broken/custom-resources.yaml").toString());
        assertThat(rejected.exitCode()).as(rejected.describe()).isNotZero();
        assertThat(rejected.stderr()).contains(".spec.kafka.replicaz: field not declared in schema",
                ".spec.storage.sizee: field not declared in schema", "spec.partitions", "spec.owner");
    }

    @Test
    void theApiServerWarnsAboutAPodTemplateThatBreaksTheRestrictedStandard() {
        ApiServer.Result namespace = server.kubectl("create", "namespace", "notify-unrestricted");
        assertThat(namespace.exitCode()).as(namespace.describe()).isZero();
        ApiServer.Result label = server.kubectl("label", "namespace", "notify-unrestricted", "pod-security.kubernetes.io/enforce=restricted");
        assertThat(label.exitCode()).as(label.describe()).isZero();
        ApiServer.Result warned = server.kubectl("apply", "--server-side", "--validate=strict", "-n", "notify-unrestricted", "-f",
                Paths.k8s().resolve("src/test/resources/broken/workload.yaml").toString());
        assertThat(warned.exitCode()).as(warned.describe()).isZero();
        assertThat(warned.stderr()).contains("Warning: would violate PodSecurity \"restricted:latest\"", "runAsNonRoot != true");
    }

    /** The on-demand smoke Job ({@link SmokeJobTest}) as an operator applies it into an overlay's namespace. */
    @Test
    void theSmokeJobIsAcceptedUnderTheRestrictedStandardWithoutWarnings() {
        ApiServer.Result namespace = server.kubectl("create", "namespace", "notify-smoke-check");
        assertThat(namespace.exitCode()).as(namespace.describe()).isZero();
        ApiServer.Result label = server.kubectl("label", "namespace", "notify-smoke-check", "pod-security.kubernetes.io/enforce=restricted");
        assertThat(label.exitCode()).as(label.describe()).isZero();
        ApiServer.Result applied = server.kubectl("apply", "-n", "notify-smoke-check", "-k",
                Paths.k8s().resolve(SmokeJobTest.DIR).toString(), "--server-side", "--validate=strict");
        assertThat(applied.exitCode()).as(applied.describe()).isZero();
        assertThat(applied.stdout()).contains("job.batch/notify-smoke serverside-applied");
        assertThat(applied.stderr()).as("warnings from the API server").doesNotContain("Warning");
    }

    private static ApiServer.Result apply(Path dir) {
        ApiServer.Result result = server.kubectl("apply", "-k", dir.toString(), "--server-side", "--validate=strict");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stderr()).as("warnings from the API server (Pod Security admission, deprecations)").doesNotContain("Warning");
        return result;
    }

    /** Kind/name → resourceVersion of every object of the overlay as the API server stores it. */
    private static Map<String, String> resourceVersions(Path dir) throws IOException {
        ApiServer.Result got = server.kubectl("get", "-k", dir.toString(), "-o", "json");
        assertThat(got.exitCode()).as(got.describe()).isZero();
        Map<String, String> versions = new TreeMap<>();
        for (JsonNode item : Documents.JSON.readTree(got.stdout()).path("items")) {
            versions.put(Documents.id(item), item.path("metadata").path("resourceVersion").asText());
        }
        return versions;
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
