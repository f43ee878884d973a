package io.notify.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.notify.k8s.Manifest.Workload;

/**
 * What the operators make of the custom resources of a build, as far as the checks need it: the pods
 * (their labels and ports, and what the resource decides of their containers: image, resources and
 * security context), the Services clients connect to, the NetworkPolicy Strimzi adds, and the
 * operators' own pods as sources of connections. No operator runs here, so this follows their code at
 * the vendored versions: Strimzi 1.2.0 (KafkaCluster, EntityOperator, the baseline pod security
 * provider) and CloudNativePG 1.30.0 (pkg/specs/pods.go, containers.go).
 */
final class Operated {

    /** The namespaces README "Deploy" installs the operators into, as overlays/prod-ha's NetworkPolicies name them. */
    static final String STRIMZI_NAMESPACE = "strimzi";
    static final String CNPG_NAMESPACE = "cnpg-system";

    static final NetworkReach.Source STRIMZI_OPERATOR = new NetworkReach.Source("Strimzi cluster operator",
            Map.of("kubernetes.io/metadata.name", STRIMZI_NAMESPACE),
            Map.of("strimzi.io/kind", "cluster-operator", "name", "strimzi-cluster-operator"), false);
    static final NetworkReach.Source CNPG_OPERATOR = new NetworkReach.Source("CloudNativePG operator",
            Map.of("kubernetes.io/metadata.name", CNPG_NAMESPACE), Map.of("app.kubernetes.io/name", "cloudnative-pg"), false);

    /** Strimzi's node ports: KRaft control plane, replication (brokers), the agent the operator polls. */
    static final int CONTROLPLANE_PORT = 9090;
    static final int REPLICATION_PORT = 9091;
    static final int KAFKA_AGENT_PORT = 8443;
    /** CloudNativePG's instance ports: PostgreSQL, the instance manager's status, metrics. */
    static final int POSTGRES_PORT = 5432;
    static final int STATUS_PORT = 8000;
    static final int METRICS_PORT = 9187;
    /** The postgres user of CloudNativePG's images (the default postgresUID and postgresGID). */
    private static final long POSTGRES_UID = 26;

    private Operated() {
    }

    static List<NetworkReach.Source> operators() {
        return List.of(STRIMZI_OPERATOR, CNPG_OPERATOR);
    }

    /** The pods the operators run for the build's Kafka, KafkaNodePool and Cluster resources. */
    static List<Workload> pods(Manifest m) {
        List<Workload> pods = new ArrayList<>();
        for (GenericKubernetesResource kafka : m.custom("Kafka")) {
            JsonNode k = Manifest.tree(kafka);
            String cluster = kafka.getMetadata().getName();
            for (GenericKubernetesResource pool : pools(m, cluster)) {
                pods.add(kafkaNodes(kafka, k, pool));
            }
            entityOperator(kafka, k).ifPresent(pods::add);
        }
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            pods.add(postgresInstances(cluster, Manifest.tree(cluster)));
        }
        return pods;
    }

    static List<GenericKubernetesResource> pools(Manifest m, String kafka) {
        return m.custom("KafkaNodePool").stream().filter(p -> kafka.equals(clusterLabel(p))).toList();
    }

    static String clusterLabel(GenericKubernetesResource r) {
        return r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get("strimzi.io/cluster");
    }

    static List<String> roles(GenericKubernetesResource pool) {
        List<String> roles = new ArrayList<>();
        Manifest.tree(pool).path("spec").path("roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }

    /** Labels on every broker and controller of a Kafka cluster (Strimzi's selector labels). */
    static Map<String, String> kafkaNodeSelector(String cluster) {
        return Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka");
    }

    private static Workload kafkaNodes(GenericKubernetesResource kafka, JsonNode k, GenericKubernetesResource pool) {
        String cluster = kafka.getMetadata().getName();
        JsonNode p = Manifest.tree(pool).path("spec");
        List<String> roles = roles(pool);
        Map<String, String> labels = new LinkedHashMap<>(kafkaNodeSelector(cluster));
        labels.put("strimzi.io/pool-name", pool.getMetadata().getName());
        labels.put("strimzi.io/broker-role", String.valueOf(roles.contains("broker")));
        labels.put("strimzi.io/controller-role", String.valueOf(roles.contains("controller")));
        List<ContainerPort> ports = new ArrayList<>(List.of(port("tcp-kafkaagent", KAFKA_AGENT_PORT)));
        if (roles.contains("controller")) {
            ports.add(port("tcp-ctrlplane", CONTROLPLANE_PORT));
        }
        if (roles.contains("broker")) {
            ports.add(port("tcp-replication", REPLICATION_PORT));
            for (JsonNode listener : k.path("spec").path("kafka").path("listeners")) {
                ports.add(port("tcp-" + listener.path("name").asText(), listener.path("port").asInt()));
            }
        }
        String version = k.path("spec").path("kafka").path("version").asText(null);
        String image = version == null ? "(chosen by the operator: no spec.kafka.version)"
                : "quay.io/strimzi/kafka:" + operatorVersion("strimzi") + "-kafka-" + version;
        // a node pool's template wins over the Kafka's; Strimzi's baseline provider only sets fsGroup 0
        JsonNode template = k.path("spec").path("kafka").path("template");
        JsonNode poolTemplate = p.path("template");
        JsonNode podSecurity = first(poolTemplate.path("pod").path("securityContext"), template.path("pod").path("securityContext"));
        JsonNode containerSecurity = first(poolTemplate.path("kafkaContainer").path("securityContext"),
                template.path("kafkaContainer").path("securityContext"));
        Container container = new ContainerBuilder().withName("kafka").withImage(image).withPorts(ports)
                .withResources(convert(p.path("resources"), ResourceRequirements.class))
                .withSecurityContext(convert(containerSecurity, SecurityContext.class)).build();
        PodSecurityContext pod = podSecurity.isMissingNode() ? new PodSecurityContext() : convert(podSecurity, PodSecurityContext.class);
        if (podSecurity.isMissingNode()) {
            pod.setFsGroup(0L);
        }
        return new Workload(pool, cluster + "-" + pool.getMetadata().getName(), template(labels, pod, container), true);
    }

    private static Optional<Workload> entityOperator(GenericKubernetesResource kafka, JsonNode k) {
        JsonNode eo = k.path("spec").path("entityOperator");
        if (eo.isMissingNode()) {
            return Optional.empty();
        }
        String cluster = kafka.getMetadata().getName();
        List<Container> containers = new ArrayList<>();
        for (String operator : List.of("topic", "user")) {
            JsonNode spec = eo.path(operator + "Operator");
            if (!spec.isMissingNode()) {
                containers.add(new ContainerBuilder().withName(operator + "-operator")
                        .withImage("quay.io/strimzi/operator:" + operatorVersion("strimzi"))
                        .withResources(convert(spec.path("resources"), ResourceRequirements.class))
                        .withSecurityContext(convert(eo.path("template").path(operator + "OperatorContainer").path("securityContext"),
                                SecurityContext.class))
                        .build());
            }
        }
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", cluster + "-entity-operator");
        PodSecurityContext pod = convert(eo.path("template").path("pod").path("securityContext"), PodSecurityContext.class);
        return Optional.of(new Workload(kafka, cluster + "-entity-operator", template(labels, pod, containers.toArray(Container[]::new)), true));
    }

    private static Workload postgresInstances(GenericKubernetesResource cluster, JsonNode c) {
        JsonNode spec = c.path("spec");
        String name = cluster.getMetadata().getName();
        String image = spec.path("imageName").asText("(chosen by the operator: no spec.imageName)");
        // CloudNativePG's defaults for what the Cluster leaves unset (GetSecurityContext, GetPodSecurityContext)
        SecurityContext security = convert(spec.path("securityContext"), SecurityContext.class);
        security = security == null ? new SecurityContext() : security;
        String seccomp = spec.path("seccompProfile").path("type").asText("RuntimeDefault");
        if (security.getSeccompProfile() == null) {
            security.setSeccompProfile(new SeccompProfileBuilder().withType(seccomp).build());
        }
        if (security.getCapabilities() == null) {
            security.setCapabilities(new CapabilitiesBuilder().withDrop("ALL").build());
        }
        security.setPrivileged(Optional.ofNullable(security.getPrivileged()).orElse(false));
        security.setRunAsNonRoot(Optional.ofNullable(security.getRunAsNonRoot()).orElse(true));
        security.setReadOnlyRootFilesystem(Optional.ofNullable(security.getReadOnlyRootFilesystem()).orElse(true));
        security.setAllowPrivilegeEscalation(Optional.ofNullable(security.getAllowPrivilegeEscalation()).orElse(false));
        PodSecurityContext pod = convert(spec.path("podSecurityContext"), PodSecurityContext.class);
        if (pod == null) {
            pod = new PodSecurityContext();
            pod.setRunAsNonRoot(true);
            pod.setFsGroup(spec.path("postgresGID").asLong(POSTGRES_UID));
        }
        pod.setRunAsUser(Optional.ofNullable(pod.getRunAsUser()).orElse(spec.path("postgresUID").asLong(POSTGRES_UID)));
        pod.setRunAsGroup(Optional.ofNullable(pod.getRunAsGroup()).orElse(spec.path("postgresGID").asLong(POSTGRES_UID)));
        if (pod.getSeccompProfile() == null) {
            pod.setSeccompProfile(new SeccompProfileBuilder().withType(seccomp).build());
        }
        Container container = new ContainerBuilder().withName("postgres").withImage(image)
                .withPorts(port("postgresql", POSTGRES_PORT), port("metrics", METRICS_PORT), port("status", STATUS_PORT))
                .withResources(convert(spec.path("resources"), ResourceRequirements.class)).withSecurityContext(security).build();
        Map<String, String> labels = Map.of("cnpg.io/cluster", name, "cnpg.io/podRole", "instance");
        return new Workload(cluster, name, template(labels, pod, container), true);
    }

    /** Strimzi's bootstrap and brokers Services, CloudNativePG's read-write, read-only and any-instance ones. */
    static List<Service> services(Manifest m) {
        List<Service> services = new ArrayList<>();
        for (GenericKubernetesResource kafka : m.custom("Kafka")) {
            String cluster = kafka.getMetadata().getName();
            List<ServicePort> ports = new ArrayList<>(List.of(servicePort("tcp-replication", REPLICATION_PORT)));
            for (JsonNode listener : Manifest.tree(kafka).path("spec").path("kafka").path("listeners")) {
                if ("internal".equals(listener.path("type").asText())) {
                    ports.add(servicePort("tcp-" + listener.path("name").asText(), listener.path("port").asInt()));
                }
            }
            services.add(service(kafka, cluster + "-kafka-bootstrap", kafkaNodeSelector(cluster), ports));
            services.add(service(kafka, cluster + "-kafka-brokers", kafkaNodeSelector(cluster), ports));
        }
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            for (String suffix : List.of("rw", "ro", "r")) {
                services.add(service(cluster, cluster.getMetadata().getName() + "-" + suffix,
                        Map.of("cnpg.io/cluster", cluster.getMetadata().getName()), List.of(servicePort("postgres", POSTGRES_PORT))));
            }
        }
        return services;
    }

    /**
     * The NetworkPolicy Strimzi adds for every Kafka (KafkaCluster.generateNetworkPolicy, on by
     * default): its own ports for its own components, and each listener for the listener's
     * networkPolicyPeers, or for everyone when it names none. The operator peer is in any namespace.
     */
    static List<NetworkPolicy> generatedPolicies(Manifest m) {
        List<NetworkPolicy> policies = new ArrayList<>();
        for (GenericKubernetesResource kafka : m.custom("Kafka")) {
            String cluster = kafka.getMetadata().getName();
            NetworkPolicyPeer operator = new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelector())
                    .withNewPodSelector().withMatchLabels(Map.of("strimzi.io/kind", "cluster-operator")).endPodSelector().build();
            NetworkPolicyPeer nodes = peer(kafkaNodeSelector(cluster));
            List<NetworkPolicyIngressRule> rules = new ArrayList<>();
            rules.add(rule(CONTROLPLANE_PORT, List.of(nodes, operator)));
            rules.add(rule(REPLICATION_PORT, List.of(operator, nodes, peer(Map.of("strimzi.io/name", cluster + "-entity-operator")),
                    peer(Map.of("strimzi.io/name", cluster + "-kafka-exporter")), peer(Map.of("strimzi.io/name", cluster + "-cruise-control")))));
            rules.add(rule(KAFKA_AGENT_PORT, List.of(operator)));
            for (JsonNode listener : Manifest.tree(kafka).path("spec").path("kafka").path("listeners")) {
                List<NetworkPolicyPeer> peers = new ArrayList<>();
                listener.path("networkPolicyPeers").forEach(p -> peers.add(convert(p, NetworkPolicyPeer.class)));
                rules.add(rule(listener.path("port").asInt(), peers));
            }
            policies.add(new NetworkPolicyBuilder().withNewMetadata().withName(cluster + "-network-policy-kafka")
                    .withNamespace(kafka.getMetadata().getNamespace()).endMetadata()
                    .withNewSpec().withNewPodSelector().withMatchLabels(kafkaNodeSelector(cluster)).endPodSelector()
                    .withPolicyTypes("Ingress").withIngress(rules).endSpec().build());
        }
        return policies;
    }

    /** The operator's version, from the folder its vendored CRDs are in (k8s/crds/&lt;operator&gt;-&lt;version&gt;). */
    static String operatorVersion(String operator) {
        return Crds.all().stream().map(c -> c.file().getParent().getFileName().toString())
                .filter(dir -> dir.startsWith(operator + "-")).map(dir -> dir.substring(operator.length() + 1))
                .findFirst().orElseThrow(() -> new IllegalStateException("no CRDs of " + operator + " under " + Crds.dir()));
    }

    private static NetworkPolicyPeer peer(Map<String, String> labels) {
        return new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(labels).endPodSelector().build();
    }

    private static NetworkPolicyIngressRule rule(int port, List<NetworkPolicyPeer> from) {
        return new NetworkPolicyIngressRuleBuilder().addNewPort().withPort(new IntOrString(port)).withProtocol("TCP").endPort()
                .withFrom(from).build();
    }

    private static PodTemplateSpec template(Map<String, String> labels, PodSecurityContext pod, Container... containers) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withSecurityContext(pod).withContainers(containers).endSpec().build();
    }

    private static Service service(GenericKubernetesResource owner, String name, Map<String, String> selector, List<ServicePort> ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(owner.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withSelector(selector).withPorts(ports).endSpec().build();
    }

    private static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).build();
    }

    private static ServicePort servicePort(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(port)).build();
    }

    private static JsonNode first(JsonNode preferred, JsonNode fallback) {
        return preferred.isMissingNode() ? fallback : preferred;
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        return node == null || node.isMissingNode() || node.isNull() ? null : Documents.JSON.convertValue(node, type);
    }
}
