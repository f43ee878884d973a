package io.notify.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.notify.k8s.Manifest.Workload;

/**
 * Who may open a connection to whom under the build's NetworkPolicies (ingress rules, the
 * Kubernetes semantics for podSelector / namespaceSelector peers and ports), evaluated offline.
 * The pods operators run (Operated) are targets and sources like the build's own, the operators'
 * pods in their namespaces are sources, and the policy Strimzi adds to a Kafka counts as well.
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
    private final List<Workload> workloads;
    private final List<NetworkPolicy> policies;

    NetworkReach(Manifest manifest) {
        this(manifest, true);
    }

    /** {@code operatorPolicies}: whether the NetworkPolicy Strimzi generates (on unless its operator is told otherwise) counts. */
    NetworkReach(Manifest manifest, boolean operatorPolicies) {
        this.manifest = manifest;
        this.workloads = manifest.workloads();
        this.policies = new ArrayList<>(manifest.all(NetworkPolicy.class));
        if (operatorPolicies) {
            this.policies.addAll(Operated.generatedPolicies(manifest));
        }
    }

    /** Names of the sources (workloads, the ingress controller, operators, other namespaces) that reach {@code target} on any port. */
    Set<String> sourcesReaching(String target) {
        return sourcesReaching(target, OptionalInt.empty());
    }

    /** Names of the sources that reach {@code target} on {@code port}. */
    Set<String> sourcesReaching(String target, int port) {
        return sourcesReaching(target, OptionalInt.of(port));
    }

    private Set<String> sourcesReaching(String target, OptionalInt port) {
        Workload to = manifest.workload(target).orElseThrow(() -> new IllegalArgumentException("no workload " + target));
        Set<String> names = new TreeSet<>();
        for (Workload from : workloads) {
            String namespace = String.valueOf(from.owner().getMetadata().getNamespace());
            if (reaches(new Source(from.name(), Map.of("kubernetes.io/metadata.name", namespace), from.labels(), true), to, port)) {
                names.add(from.name());
            }
        }
        List<Source> outside = new ArrayList<>(List.of(INGRESS_CONTROLLER, OTHER_NAMESPACE));
        outside.addAll(Operated.operators());
        for (Source source : outside) {
            if (reaches(source, to, port)) {
                names.add(source.name());
            }
        }
        return names;
    }

    /** Workloads that no ingress policy selects: open to anything. */
    Set<String> unprotected() {
        Set<String> open = new TreeSet<>();
        for (Workload w : workloads) {
            if (policiesFor(w).isEmpty()) {
                open.add(w.name());
            }
        }
        return open;
    }

    private List<NetworkPolicy> policiesFor(Workload w) {
        return policies.stream()
                .filter(p -> p.getSpec().getPolicyTypes().isEmpty() || p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> Manifest.matches(p.getSpec().getPodSelector(), w.labels()))
                .toList();
    }

    private boolean reaches(Source source, Workload target, OptionalInt port) {
        List<NetworkPolicy> selecting = policiesFor(target);
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().flatMap(p -> p.getSpec().getIngress().stream())
                .anyMatch(rule -> admitsPort(rule, target, port)
                        && (rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer -> admits(peer, source))));
    }

    /** No ports in a rule means all; a named port is the target's container port of that name; TCP only here. */
    private static boolean admitsPort(NetworkPolicyIngressRule rule, Workload target, OptionalInt port) {
        if (port.isEmpty() || rule.getPorts().isEmpty()) {
            return true;
        }
        int wanted = port.getAsInt();
        for (NetworkPolicyPort p : rule.getPorts()) {
            if (p.getProtocol() != null && !"TCP".equals(p.getProtocol())) {
                continue;
            }
            if (p.getPort() == null) {
                return true;
            }
            if (p.getPort().getStrVal() != null) {
                boolean named = target.pod().getContainers().stream().flatMap(c -> c.getPorts().stream())
                        .anyMatch(c -> p.getPort().getStrVal().equals(c.getName()) && c.getContainerPort() == wanted);
                if (named) {
                    return true;
                }
            } else {
                int from = p.getPort().getIntVal();
                int to = p.getEndPort() == null ? from : p.getEndPort();
                if (wanted >= from && wanted <= to) {
                    return true;
                }
            }
        }
        return false;
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
