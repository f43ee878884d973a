package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The on-demand post-deploy smoke Job ({@code k8s/jobs/smoke}, in no overlay): the same offline checks as every
 * overlay's workloads, run by the image notify-client's Dockerfile builds, credentials from the {@code notify-smoke}
 * Secret. ApiServerApplyTest applies it to the real API server under the restricted Pod Security Standard.
 */
class SmokeJobTest {

    static final String DIR = "jobs/smoke";

    static Manifest build() {
        ModelBinding.Result bound = ModelBinding.bind(Documents.parse(Kustomize.build(Paths.k8s().resolve(DIR))));
        assertThat(bound.violations()).isEmpty();
        return new Manifest(bound.resources());
    }

    @Test
    void theJobPassesTheWorkloadChecksAndTheSchemas() {
        Manifest m = build();
        assertThat(SchemaValidation.validate(Documents.parse(Kustomize.build(Paths.k8s().resolve(DIR))))).isEmpty();
        assertThat(WorkloadPolicy.check(m)).isEmpty();
        assertThat(m.resources()).singleElement().isInstanceOf(Job.class);
    }

    @Test
    void theJobRunsTheSmokeCommandOnceWithItsCredentialsFromTheSecret() {
        Job job = build().all(Job.class).get(0);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(WorkloadPolicy.QUARKUS_IMAGE_PREFIX + "notify-client:0.1.0");
        assertThat(c.getArgs()).containsExactly("smoke");
        Map<String, String> fromSecret = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
                e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
        assertThat(fromSecret).isEqualTo(Map.of("NOTIFY_SMOKE_URL", "notify-smoke/url",
                "NOTIFY_SMOKE_USERNAME", "notify-smoke/username", "NOTIFY_SMOKE_PASSWORD", "notify-smoke/password"));
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isPositive();
    }

    @Test
    void itsImageIsBuiltHereFromAPinnedBaseAsNonRootWithTheExecutableJar() throws IOException {
        String dockerfile = Files.readString(Paths.repo().resolve("notify-client/src/main/docker/Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^FROM [^\\s:]+:(?!latest)[\\w.-]+\\s*$")
                .contains("COPY --chown=185 target/notify-client.jar ", "-jar\", \"/deployments/notify-client.jar\"");
        List<String> users = dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).last().isEqualTo("USER 185");
        Long runAs = build().all(Job.class).get(0).getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        assertThat(runAs).isEqualTo(185L);
    }
}
