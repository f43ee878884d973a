package io.notify.k8s;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.notify.k8s.Manifest.Workload;

/**
 * What one object says about another holds in the build: selectors select pods, named ports
 * exist, every ConfigMap/Secret and key that is referenced is produced (the Ingress TLS
 * certificate excepted: the user provides it), volumes exist, everything sits in one namespace;
 * and for the operators' resources: node pools and topics name their Kafka, a Kafka has brokers and
 * controllers, a Cluster's role Secrets are basic-auth Secrets of that role, a Database names its
 * Cluster and an owner the Cluster has.
 */
final class CrossReferences {

    /** Secrets the user creates outside the build (documented in the README). */
    static final Set<String> USER_PROVIDED_SECRETS = Set.of("notify-tls");

    private CrossReferences() {
    }

    static List<String> check(Manifest m) {
        List<String> v = new ArrayList<>();
        for (Workload w : m.workloads()) {
            workload(m, w, v);
        }
        for (Service s : m.all(Service.class)) {
            service(m, s, v);
        }
        for (Ingress i : m.all(Ingress.class)) {
            ingress(m, i, v);
        }
        for (HorizontalPodAutoscaler h : m.all(HorizontalPodAutoscaler.class)) {
            var ref = h.getSpec().getScaleTargetRef();
            boolean exists = m.resources().stream().anyMatch(r -> r.getKind().equals(ref.getKind())
                    && r.getApiVersion().equals(ref.getApiVersion()) && r.getMetadata().getName().equals(ref.getName()));
            if (!exists) {
                v.add("HorizontalPodAutoscaler/" + name(h) + ": scale target " + ref.getKind() + "/" + ref.getName() + " does not exist");
            }
        }
        for (PodDisruptionBudget p : m.all(PodDisruptionBudget.class)) {
            if (m.selected(p.getSpec().getSelector()).isEmpty()) {
                v.add("PodDisruptionBudget/" + name(p) + ": selector matches no pods");
            }
        }
        for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
            networkPolicy(m, p, v);
        }
        customResources(m, v);
        namespaces(m, v);
        return v;
    }

    private static void customResources(Manifest m, List<String> v) {
        for (String kind : List.of("KafkaNodePool", "KafkaTopic")) {
            for (GenericKubernetesResource r : m.custom(kind)) {
                String cluster = Operated.clusterLabel(r);
                if (cluster == null || m.custom("Kafka", cluster).isEmpty()) {
                    v.add(kind + "/" + name(r) + ": label strimzi.io/cluster=" + cluster + " names no Kafka in the build");
                }
            }
        }
        for (GenericKubernetesResource kafka : m.custom("Kafka")) {
            List<GenericKubernetesResource> pools = Operated.pools(m, name(kafka));
            for (String role : List.of("broker", "controller")) {
                if (pools.stream().noneMatch(p -> Operated.roles(p).contains(role))) {
                    v.add("Kafka/" + name(kafka) + ": no KafkaNodePool with the " + role + " role");
                }
            }
        }
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            JsonNode spec = Manifest.tree(cluster).path("spec");
            JsonNode initdb = spec.path("bootstrap").path("initdb");
            if (initdb.has("secret")) {
                roleSecret(m, cluster, initdb.path("owner").asText("app"), initdb.path("secret").path("name").asText(), v);
            }
            for (JsonNode role : spec.path("managed").path("roles")) {
                if (role.has("passwordSecret")) {
                    roleSecret(m, cluster, role.path("name").asText(), role.path("passwordSecret").path("name").asText(), v);
                }
            }
        }
        for (GenericKubernetesResource database : m.custom("Database")) {
            JsonNode spec = Manifest.tree(database).path("spec");
            String cluster = spec.path("cluster").path("name").asText();
            Optional<GenericKubernetesResource> owner = m.custom("Cluster", cluster);
            if (owner.isEmpty()) {
                v.add("Database/" + name(database) + ": cluster " + cluster + " is not a Cluster in the build");
            } else if (!roles(owner.get()).contains(spec.path("owner").asText())) {
                v.add("Database/" + name(database) + ": owner " + spec.path("owner").asText() + " is not a role of Cluster/" + cluster
                        + " " + roles(owner.get()));
            }
        }
    }

    /** The roles a Cluster creates: its managed roles and the owner of its initdb database. */
    static Set<String> roles(GenericKubernetesResource cluster) {
        JsonNode spec = Manifest.tree(cluster).path("spec");
        Set<String> roles = new java.util.TreeSet<>();
        spec.path("managed").path("roles").forEach(r -> roles.add(r.path("name").asText()));
        if (spec.path("bootstrap").has("initdb")) {
            roles.add(spec.path("bootstrap").path("initdb").path("owner").asText("app"));
        }
        return roles;
    }

    /** CloudNativePG takes a role's password from a kubernetes.io/basic-auth Secret whose username is the role. */
    private static void roleSecret(Manifest m, GenericKubernetesResource cluster, String role, String secretName, List<String> v) {
        String where = "Cluster/" + name(cluster) + ": role " + role + " Secret " + secretName;
        Optional<Secret> secret = m.secret(secretName);
        if (secret.isEmpty()) {
            v.add(where + " is not produced");
            return;
        }
        if (!"kubernetes.io/basic-auth".equals(secret.get().getType())) {
            v.add(where + " must be of type kubernetes.io/basic-auth, is " + Optional.ofNullable(secret.get().getType()).orElse("Opaque"));
        }
        if (!Manifest.keys(secret.get()).containsAll(Set.of("username", "password"))) {
            v.add(where + " must hold username and password, holds " + Manifest.keys(secret.get()));
        } else if (!role.equals(decoded(secret.get(), "username"))) {
            v.add(where + " has username " + decoded(secret.get(), "username") + ", not the role's name");
        }
    }

    private static String decoded(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        return new String(Base64.getMimeDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static void workload(Manifest m, Workload w, List<String> v) {
        var selector = w.owner() instanceof Deployment d ? d.getSpec().getSelector()
                : w.owner() instanceof StatefulSet s ? s.getSpec().getSelector() : null;
        if (selector != null && !Manifest.matches(selector, w.labels())) {
            v.add(w.id() + ": selector " + selector.getMatchLabels() + " does not match its pod labels " + w.labels());
        }
        if (w.owner() instanceof StatefulSet s && m.service(s.getSpec().getServiceName()).isEmpty()) {
            v.add(w.id() + ": serviceName " + s.getSpec().getServiceName() + " is not a Service");
        }
        Set<String> volumes = new java.util.HashSet<>();
        w.pod().getVolumes().forEach(vol -> volumes.add(vol.getName()));
        if (w.owner() instanceof StatefulSet s) {
            s.getSpec().getVolumeClaimTemplates().forEach(t -> volumes.add(t.getMetadata().getName()));
        }
        for (Volume vol : w.pod().getVolumes()) {
            if (vol.getConfigMap() != null) {
                keysExist(m, w.id(), "ConfigMap", vol.getConfigMap().getName(), vol.getConfigMap().getItems(),
                        vol.getConfigMap().getOptional(), v);
            }
            if (vol.getSecret() != null) {
                keysExist(m, w.id(), "Secret", vol.getSecret().getSecretName(), vol.getSecret().getItems(),
                        vol.getSecret().getOptional(), v);
            }
        }
        w.allContainers().forEach(c -> container(m, w, c, volumes, v));
    }

    private static void container(Manifest m, Workload w, Container c, Set<String> volumes, List<String> v) {
        String where = w.id() + " container " + c.getName();
        for (VolumeMount mount : c.getVolumeMounts()) {
            if (!volumes.contains(mount.getName())) {
                v.add(where + ": mounts volume " + mount.getName() + " that the pod does not have");
            }
        }
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                    && m.configMap(from.getConfigMapRef().getName()).isEmpty()) {
                v.add(where + ": envFrom ConfigMap " + from.getConfigMapRef().getName() + " is not produced");
            }
            if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                    && m.secret(from.getSecretRef().getName()).isEmpty()) {
                v.add(where + ": envFrom Secret " + from.getSecretRef().getName() + " is not produced");
            }
        }
        for (EnvVar env : c.getEnv()) {
            if (env.getValueFrom() == null) {
                continue;
            }
            var cm = env.getValueFrom().getConfigMapKeyRef();
            if (cm != null && !Boolean.TRUE.equals(cm.getOptional())) {
                keyExists(m.configMap(cm.getName()), where + ": env " + env.getName(), "ConfigMap", cm.getName(), cm.getKey(), v);
            }
            var secret = env.getValueFrom().getSecretKeyRef();
            if (secret != null && !Boolean.TRUE.equals(secret.getOptional())) {
                keyExists(m.secret(secret.getName()), where + ": env " + env.getName(), "Secret", secret.getName(), secret.getKey(), v);
            }
        }
        for (String probe : List.of("liveness", "readiness", "startup")) {
            var p = switch (probe) {
                case "liveness" -> c.getLivenessProbe();
                case "readiness" -> c.getReadinessProbe();
                default -> c.getStartupProbe();
            };
            IntOrString port = p == null ? null : p.getHttpGet() != null ? p.getHttpGet().getPort()
                    : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
            if (port != null && !hasPort(List.of(c), port)) {
                v.add(where + ": " + probe + " probe port " + text(port) + " is not a container port");
            }
        }
    }

    private static void keysExist(Manifest m, String where, String kind, String name, List<KeyToPath> items,
            Boolean optional, List<String> v) {
        if (Boolean.TRUE.equals(optional)) {
            return;
        }
        Optional<? extends HasMetadata> source = kind.equals("Secret") ? m.secret(name) : m.configMap(name);
        if (source.isEmpty()) {
            v.add(where + ": volume " + kind + " " + name + " is not produced");
            return;
        }
        for (KeyToPath item : items) {
            keyExists(source, where + ": volume item", kind, name, item.getKey(), v);
        }
    }

    private static void keyExists(Optional<? extends HasMetadata> source, String where, String kind, String name, String key,
            List<String> v) {
        if (source.isEmpty()) {
            v.add(where + " refers to " + kind + " " + name + ", which is not produced");
        } else if (!Manifest.keys(source.get()).contains(key)) {
            v.add(where + " refers to key " + key + " of " + kind + " " + name + ", which has only " + Manifest.keys(source.get()));
        }
    }

    private static void service(Manifest m, Service s, List<String> v) {
        Map<String, String> selector = s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
        List<Workload> pods = m.selected(selector);
        if (pods.isEmpty()) {
            v.add("Service/" + name(s) + ": selector " + selector + " matches no pods");
            return;
        }
        for (ServicePort port : s.getSpec().getPorts()) {
            IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
            for (Workload w : pods) {
                if (!hasPort(w.pod().getContainers(), target)) {
                    v.add("Service/" + name(s) + ": targetPort " + text(target) + " is not a container port of " + w.id());
                }
            }
        }
    }

    private static void ingress(Manifest m, Ingress i, List<String> v) {
        List<IngressBackend> backends = new ArrayList<>();
        if (i.getSpec().getDefaultBackend() != null) {
            backends.add(i.getSpec().getDefaultBackend());
        }
        i.getSpec().getRules().forEach(r -> r.getHttp().getPaths().forEach(p -> backends.add(p.getBackend())));
        for (IngressBackend b : backends) {
            String svc = b.getService().getName();
            Optional<Service> service = m.service(svc);
            if (service.isEmpty()) {
                v.add("Ingress/" + name(i) + ": backend Service " + svc + " does not exist");
                continue;
            }
            var port = b.getService().getPort();
            boolean found = service.get().getSpec().getPorts().stream().anyMatch(p -> port.getName() != null
                    ? port.getName().equals(p.getName()) : port.getNumber().equals(p.getPort()));
            if (!found) {
                v.add("Ingress/" + name(i) + ": Service " + svc + " has no port "
                        + (port.getName() != null ? port.getName() : port.getNumber()));
            }
        }
        for (IngressTLS tls : i.getSpec().getTls()) {
            if (m.secret(tls.getSecretName()).isEmpty() && !USER_PROVIDED_SECRETS.contains(tls.getSecretName())) {
                v.add("Ingress/" + name(i) + ": TLS Secret " + tls.getSecretName() + " is neither produced nor documented as user-provided");
            }
        }
    }

    private static void networkPolicy(Manifest m, NetworkPolicy p, List<String> v) {
        var selector = p.getSpec().getPodSelector();
        boolean selectsAll = selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty();
        selectsAll &= selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty();
        List<Workload> pods = m.selected(selector);
        if (!selectsAll && pods.isEmpty()) {
            v.add("NetworkPolicy/" + name(p) + ": podSelector matches no pods");
        }
        for (var rule : p.getSpec().getIngress()) {
            for (NetworkPolicyPort port : rule.getPorts()) {
                if (port.getPort() != null && port.getPort().getStrVal() != null) {
                    for (Workload w : pods) {
                        if (!hasPort(w.pod().getContainers(), port.getPort())) {
                            v.add("NetworkPolicy/" + name(p) + ": port " + text(port.getPort()) + " is not a container port of " + w.id());
                        }
                    }
                }
            }
            for (var peer : rule.getFrom()) {
                if (peer.getPodSelector() != null && peer.getNamespaceSelector() == null
                        && m.selected(peer.getPodSelector()).isEmpty()) {
                    v.add("NetworkPolicy/" + name(p) + ": a from.podSelector matches no pods");
                }
            }
        }
    }

    private static void namespaces(Manifest m, List<String> v) {
        Set<String> declared = new java.util.TreeSet<>();
        m.all(Namespace.class).forEach(n -> declared.add(name(n)));
        for (HasMetadata r : m.resources()) {
            if (r instanceof Namespace) {
                continue;
            }
            String ns = r.getMetadata().getNamespace();
            if (ns == null || !declared.contains(ns)) {
                v.add(r.getKind() + "/" + name(r) + ": namespace " + ns + " is not one the build creates " + declared);
            }
        }
    }

    static boolean hasPort(List<Container> containers, IntOrString port) {
        return containers.stream().flatMap(c -> c.getPorts().stream()).anyMatch((ContainerPort p) -> port.getStrVal() != null
                ? port.getStrVal().equals(p.getName()) : port.getIntVal().equals(p.getContainerPort()));
    }

    private static String text(IntOrString port) {
        return port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }

    private static String name(HasMetadata r) {
        return r.getMetadata().getName();
    }
}
