package io.notify.k8s;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.notify.k8s.Manifest.Workload;

/**
 * Who may open a connection to whom under the build's NetworkPolicies (ingress rules, the
 * Kubernetes semantics for podSelector / namespaceSelector peers), evaluated offline.
 */
final class NetworkReach {

    /** A connecting pod: its namespace's labels and its own. */
    record Source(String name, Map<String, String> namespaceLabels, Map<String, String> podLabels, boolean sameNamespace) {
    }

    static final Source INGRESS_CONTROLLER = new Source("ingress controller",
            Map.of("kubernetes.io/metadata.name", "ingress-nginx"), Map.of("app.kubernetes.io/name", "ingress-nginx"), false);
    static final Source OTHER_NAMESPACE = new Source("a pod of another namespace",
            Map.of("kubernetes.io/metadata.name", "elsewhere"), Map.of("app", "anything"), false);

    private final Manifest manifest;

    NetworkReach(Manifest manifest) {
        this.manifest = manifest;
    }

    /** Names of the sources (workloads of the build, the ingress controller, other namespaces) that reach {@code target}. */
    Set<String> sourcesReaching(String target) {
        Workload to = manifest.workload(target).orElseThrow(() -> new IllegalArgumentException("no workload " + target));
        Set<String> names = new TreeSet<>();
        for (Workload from : manifest.workloads()) {
            String namespace = String.valueOf(from.owner().getMetadata().getNamespace());
            if (reaches(new Source(from.name(), Map.of("kubernetes.io/metadata.name", namespace), from.labels(), true), to)) {
                names.add(from.name());
            }
        }
        for (Source outside : List.of(INGRESS_CONTROLLER, OTHER_NAMESPACE)) {
            if (reaches(outside, to)) {
                names.add(outside.name());
            }
        }
        return names;
    }

    /** Workloads that no ingress policy selects: open to anything. */
    Set<String> unprotected() {
        Set<String> open = new TreeSet<>();
        for (Workload w : manifest.workloads()) {
            if (policiesFor(w).isEmpty()) {
                open.add(w.name());
            }
        }
        return open;
    }

    private List<NetworkPolicy> policiesFor(Workload w) {
        return manifest.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().isEmpty() || p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> Manifest.matches(p.getSpec().getPodSelector(), w.labels()))
                .toList();
    }

    boolean reaches(Source source, Workload target) {
        List<NetworkPolicy> policies = policiesFor(target);
        if (policies.isEmpty()) {
            return true;
        }
        return policies.stream().flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(rule -> rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer -> admits(peer, source)));
    }

    private static boolean admits(NetworkPolicyPeer peer, Source source) {
        if (peer.getIpBlock() != null) {
            return false; // addresses outside the cluster, never a pod here
        }
        boolean namespaceOk = peer.getNamespaceSelector() == null ? source.sameNamespace()
                : Manifest.matches(peer.getNamespaceSelector(), source.namespaceLabels());
        boolean podOk = peer.getPodSelector() == null || Manifest.matches(peer.getPodSelector(), source.podLabels());
        return namespaceOk && podOk;
    }
}
