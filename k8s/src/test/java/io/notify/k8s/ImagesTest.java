package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;

/**
 * The images the manifests and compose.yaml run are the ones this repository builds: a
 * Dockerfile per image, pinned base images, a non-root user, the port the manifests expect,
 * and compose.yaml agreeing with the Kubernetes build.
 */
class ImagesTest {

    /** image name (without tag) of each module the manifests run → its Dockerfiles. */
    private static final Map<String, List<String>> DOCKERFILES = Map.of(
            "auth-service", List.of("auth-service/src/main/docker/Dockerfile.jvm", "auth-service/src/main/docker/Dockerfile.native-micro"),
            "notification-service", List.of("notification-service/src/main/docker/Dockerfile.jvm",
                    "notification-service/src/main/docker/Dockerfile.native-micro"),
            "gateway-service", List.of("gateway-service/src/main/docker/Dockerfile.jvm", "gateway-service/src/main/docker/Dockerfile.native-micro"),
            "frontend", List.of("frontend/Dockerfile"));

    @Test
    void everyImageTheManifestsRunIsBuiltHereFromAPinnedBaseAsNonRootOnTheExpectedPort() throws IOException {
        Manifest dev = Builds.of("dev").manifest();
        for (var entry : DOCKERFILES.entrySet()) {
            Container c = dev.workload(entry.getKey()).orElseThrow().pod().getContainers().get(0);
            assertThat(c.getImage()).startsWith(WorkloadPolicy.QUARKUS_IMAGE_PREFIX + entry.getKey() + ":");
            int port = c.getPorts().get(0).getContainerPort();
            for (String dockerfile : entry.getValue()) {
                String text = Files.readString(Paths.repo().resolve(dockerfile));
                assertThat(text).as(dockerfile).containsPattern("(?m)^FROM [^\\s:]+:(?!latest)[\\w.-]+\\s*$");
                List<String> users = text.lines().filter(l -> l.startsWith("USER ")).toList();
                assertThat(users).as(dockerfile + " USER").isNotEmpty();
                assertThat(users.get(users.size() - 1)).as(dockerfile).doesNotContain("root").isNotEqualTo("USER 0");
                assertThat(text).as(dockerfile).contains("EXPOSE " + port);
            }
        }
    }

    @Test
    void quarkusImagesPackageWhatTheBuildProduces() throws IOException {
        for (String service : List.of("auth-service", "notification-service", "gateway-service")) {
            assertThat(Files.readString(Paths.repo().resolve(service + "/src/main/docker/Dockerfile.jvm")))
                    .contains("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/", "JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
            assertThat(Files.readString(Paths.repo().resolve(service + "/src/main/docker/Dockerfile.native-micro")))
                    .contains("COPY --chown=1001:root --chmod=0755 target/*-runner /work/application");
        }
    }

    @Test
    void theFrontendServesTheAppWithSpaFallbackAndLeavesTheApiToTheIngress() throws IOException {
        String nginx = Files.readString(Paths.repo().resolve("frontend/nginx.conf"));
        assertThat(nginx).contains("listen 8080;", "try_files $uri $uri/ /index.html;", "location = /healthz")
                .doesNotContain("proxy_pass");
        assertThat(Files.readString(Paths.repo().resolve("frontend/Dockerfile"))).contains("COPY dist/ /usr/share/nginx/html/");
    }

    @Test
    void composeRunsTheSameImagesWithTheLocalLaunchsWiring() {
        assertThat(ComposeCheck.check(Paths.repo().resolve("compose.yaml"), Paths.repo(), kubernetesImages())).isEmpty();
    }

    @Test
    void aComposeFileThatStartsTooEarlyOrPointsNowhereIsReported() {
        Path broken = Paths.k8s().resolve("src/test/resources/broken/compose.yaml");
        assertThat(ComposeCheck.check(broken, Paths.repo(), kubernetesImages())).containsExactlyInAnyOrder(
                "gateway-service: image ghcr.io/notify/gateway-service:latest must be the one the Kubernetes manifests use, ghcr.io/notify/gateway-service:0.1.0-jvm",
                "notification-service: environment lacks NOTIFY_AUTH_URL",
                "gateway-service: NOTIFY_NOTIFICATION_SERVICE_URL=http://notification-service:8080 names no compose service listening on that port",
                "notification-service: must depend on kafka-topics with condition service_completed_successfully, has ''",
                "postgres: publishes [\"5432:5432\"]; only the frontend's one origin is published",
                "kafka: needs a healthcheck (others wait for it)",
                "one-origin: /api/broadcast must proxy to notification-service, proxies to null",
                "one-origin: /api/topics must proxy to notification-service, proxies to null",
                "one-origin: /docs/openapi/auth.json must proxy to auth-service, proxies to null",
                "one-origin: /docs/openapi/notification.json must proxy to notification-service, proxies to null",
                "frontend: one-origin must be mounted as a .conf in /etc/nginx/notify/, which frontend/nginx.conf includes;"
                        + " at '/etc/nginx/conf.d/default.conf' the image's server block is not the one that answers");
    }

    private static Map<String, String> kubernetesImages() {
        Manifest dev = Builds.of("dev").manifest();
        Map<String, String> images = new LinkedHashMap<>();
        for (String name : DOCKERFILES.keySet()) {
            images.put(name, dev.workload(name).orElseThrow().pod().getContainers().get(0).getImage());
        }
        for (String infra : List.of("postgres", "kafka")) {
            images.put(infra, dev.workload(infra).orElseThrow().pod().getContainers().get(0).getImage());
        }
        return images;
    }
}
