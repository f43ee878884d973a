package io.notify.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.notify.k8s.Manifest.Workload;

/**
 * Every container: a pinned image, requests and limits, probes (SmallRye Health for the Quarkus
 * services), and the restricted Pod Security Standard plus a read-only root filesystem.
 * Init containers and Job containers run to completion, so they carry no probes. The pods an
 * operator runs are checked for what their custom resource decides (Operated); their probes are the
 * operator's.
 */
final class WorkloadPolicy {

    /** registry/name:tag (not latest) or @sha256 digest. */
    private static final Pattern PINNED = Pattern.compile("^[^@\\s]+(:(?!latest$)[\\w][\\w.-]{0,127}|@sha256:[a-f0-9]{64})$");
    static final String QUARKUS_IMAGE_PREFIX = "ghcr.io/notify/";

    private WorkloadPolicy() {
    }

    static List<String> check(Manifest m) {
        List<String> v = new ArrayList<>();
        for (Workload w : m.workloads()) {
            PodSecurityContext pod = w.pod().getSecurityContext();
            for (Container c : w.pod().getInitContainers()) {
                container(w, c, pod, false, v);
            }
            for (Container c : w.pod().getContainers()) {
                container(w, c, pod, !w.isJob() && !w.operated(), v);
            }
        }
        return v;
    }

    private static void container(Workload w, Container c, PodSecurityContext pod, boolean probed, List<String> v) {
        String where = w.id() + " container " + c.getName();
        String image = c.getImage() == null ? "" : c.getImage();
        int lastSlash = image.lastIndexOf('/');
        if (!PINNED.matcher(image).matches() || !image.substring(lastSlash + 1).matches(".*[:@].*")) {
            v.add(where + ": image '" + image + "' is not pinned to a tag or digest (latest does not count)");
        }
        var resources = c.getResources();
        for (String kind : List.of("requests", "limits")) {
            Map<String, Quantity> q = resources == null ? null
                    : kind.equals("requests") ? resources.getRequests() : resources.getLimits();
            for (String resource : List.of("cpu", "memory")) {
                if (q == null || q.get(resource) == null) {
                    v.add(where + ": no " + resource + " in resources." + kind);
                }
            }
        }
        if (probed) {
            probes(where, image, c, v);
        }
        security(where, c.getSecurityContext(), pod, v);
    }

    private static void probes(String where, String image, Container c, List<String> v) {
        Map<String, Probe> probes = new java.util.LinkedHashMap<>();
        probes.put("startup", c.getStartupProbe());
        probes.put("liveness", c.getLivenessProbe());
        probes.put("readiness", c.getReadinessProbe());
        boolean quarkus = image.startsWith(QUARKUS_IMAGE_PREFIX) && !image.startsWith(QUARKUS_IMAGE_PREFIX + "frontend");
        probes.forEach((kind, probe) -> {
            if (probe == null) {
                v.add(where + ": no " + kind + "Probe");
            } else if (quarkus) {
                String expected = "/q/health/" + (kind.equals("startup") ? "started" : kind.equals("liveness") ? "live" : "ready");
                if (probe.getHttpGet() == null || !expected.equals(probe.getHttpGet().getPath())) {
                    v.add(where + ": " + kind + "Probe must be an HTTP GET on SmallRye Health " + expected);
                }
            }
        });
    }

    private static void security(String where, SecurityContext c, PodSecurityContext pod, List<String> v) {
        boolean nonRoot = c != null && c.getRunAsNonRoot() != null ? c.getRunAsNonRoot()
                : pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
        Long uid = c != null && c.getRunAsUser() != null ? c.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        if (!nonRoot || Long.valueOf(0).equals(uid)) {
            v.add(where + ": must run as non-root (runAsNonRoot: true, runAsUser not 0)");
        }
        if (c == null || !Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            v.add(where + ": securityContext.allowPrivilegeEscalation must be false");
        }
        if (c == null || c.getCapabilities() == null || !c.getCapabilities().getDrop().contains("ALL")) {
            v.add(where + ": securityContext.capabilities must drop ALL");
        }
        if (c == null || !Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            v.add(where + ": securityContext.readOnlyRootFilesystem must be true");
        }
        if (c != null && Boolean.TRUE.equals(c.getPrivileged())) {
            v.add(where + ": must not be privileged");
        }
        var seccomp = c != null && c.getSeccompProfile() != null ? c.getSeccompProfile()
                : pod == null ? null : pod.getSeccompProfile();
        if (seccomp == null || !List.of("RuntimeDefault", "Localhost").contains(seccomp.getType())) {
            v.add(where + ": seccompProfile must be RuntimeDefault");
        }
    }
}
