package io.notify.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.notify.infra.kafka.Topics;
import io.notify.k8s.Manifest.Workload;

/**
 * What this suite in particular needs from its manifests: the one-origin routes, a gateway that
 * scales and drains, the topics with their partition counts, and each service configured the way
 * the local launch (local-infra launch.Suite) configures it, every address resolving to a Service.
 */
final class SuiteExpectations {

    /** Ingress path → Service, as the local one-origin proxy routes them. */
    static final Map<String, String> ROUTES = Map.of("/api/auth", "auth-service", "/api/notifications", "notification-service",
            "/api/broadcast", "notification-service", "/api/topics", "notification-service", "/api/ws", "gateway-service",
            "/", "frontend",
            // the API docs' documents, rewritten to each service's /q/openapi
            "/docs/openapi/auth.json", "auth-service", "/docs/openapi/notification.json", "notification-service");

    /** What the docs' document paths are rewritten to: the service's own document (OneOriginProxy does the same). */
    static final String DOCUMENT = "/q/openapi?format=json";

    /** The environment launch.Suite gives each service, by name. */
    static final Map<String, Set<String>> ENVIRONMENT = Map.of(
            "auth-service", Set.of("PORT", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD", "NOTIFY_AUTH_KEYS_PRIVATE_KEY_FILE", "NOTIFY_TRUSTED_PROXIES",
                    "NOTIFY_GATEWAY_CLIENT_SECRET"),
            "notification-service", Set.of("PORT", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS", "NOTIFY_JWKS_URL", "NOTIFY_AUTH_URL"),
            "gateway-service", Set.of("PORT", "KAFKA_BOOTSTRAP_SERVERS", "NOTIFY_JWKS_URL", "NOTIFY_NOTIFICATION_SERVICE_URL",
                    "NOTIFY_AUTH_URL", "NOTIFY_GATEWAY_CLIENT_SECRET"));

    /** The drain's own flush budget (gateway SocketLifecycle.DRAIN_FLUSH), after the shutdown delay. */
    static final Duration DRAIN_FLUSH = Duration.ofSeconds(5);
    /** Time left for Quarkus to stop Kafka clients and the HTTP server after the drain. */
    static final Duration STOP_MARGIN = Duration.ofSeconds(10);

    private SuiteExpectations() {
    }

    /** The pods that talk to Kafka and to PostgreSQL. */
    static final Set<String> KAFKA_CLIENTS = Set.of("auth-service", "notification-service", "gateway-service");
    static final Set<String> POSTGRES_CLIENTS = Set.of("auth-service", "notification-service");

    /** Who must reach each of the suite's workloads, and nobody else (NetworkReach evaluates the policies). */
    static final Map<String, Set<String>> REACH = Map.of(
            "frontend", Set.of(NetworkReach.INGRESS_CONTROLLER.name()),
            "gateway-service", Set.of(NetworkReach.INGRESS_CONTROLLER.name()),
            "notification-service", Set.of(NetworkReach.INGRESS_CONTROLLER.name(), "gateway-service"),
            "auth-service", Set.of(NetworkReach.INGRESS_CONTROLLER.name(), "notification-service", "gateway-service"));

    /** The same for the single-node Kafka and PostgreSQL (base/kafka, base/postgres), on any port. */
    static final Map<String, Set<String>> SINGLE_NODE_REACH = Map.of(
            "postgres", POSTGRES_CLIENTS,
            "kafka", union(KAFKA_CLIENTS, Set.of("kafka-topics", "kafka")));

    static List<String> network(Manifest m) {
        List<String> v = new ArrayList<>();
        NetworkReach reach = new NetworkReach(m);
        reach.unprotected().forEach(w -> v.add(w + ": no NetworkPolicy selects it, so anything reaches it"));
        Map<String, Set<String>> expected = new LinkedHashMap<>(REACH);
        if (m.custom("Cluster").isEmpty()) {
            expected.put("postgres", SINGLE_NODE_REACH.get("postgres"));
        }
        if (m.custom("Kafka").isEmpty()) {
            expected.put("kafka", SINGLE_NODE_REACH.get("kafka"));
        }
        expected.forEach((target, allowed) -> {
            if (m.workload(target).isEmpty()) {
                v.add(target + ": no workload");
                return;
            }
            Set<String> actual = reach.sourcesReaching(target);
            if (!actual.equals(allowed)) {
                v.add(target + " is reached by " + actual + ", must be exactly " + new java.util.TreeSet<>(allowed));
            }
        });
        // the same whether or not Strimzi adds its own policy (STRIMZI_NETWORK_POLICY_GENERATION)
        NetworkReach withoutOperatorPolicies = new NetworkReach(m, false);
        for (Workload w : m.workloads()) {
            if (w.operated()) {
                operatedReach(m, reach, w, "", v);
                if (w.owner().getKind().startsWith("Kafka")) {
                    operatedReach(m, withoutOperatorPolicies, w, " (without Strimzi's own NetworkPolicy)", v);
                }
            }
        }
        return v;
    }

    /**
     * Port by port, who must reach the pods an operator runs: a Kafka node's listener its clients,
     * replication and the control plane the nodes of its cluster (the Topic Operator replication
     * too), the agent the Strimzi operator alone; PostgreSQL its clients, the instances and the
     * CloudNativePG operator, the status port the instances and the operator; nothing else.
     */
    private static void operatedReach(Manifest m, NetworkReach reach, Workload w, String variant, List<String> v) {
        Map<Integer, Set<String>> expected = new LinkedHashMap<>();
        String strimzi = Operated.STRIMZI_OPERATOR.name();
        String cnpg = Operated.CNPG_OPERATOR.name();
        if (w.owner().getKind().equals("KafkaNodePool")) {
            String cluster = Operated.clusterLabel((GenericKubernetesResource) w.owner());
            Set<String> nodes = new java.util.TreeSet<>();
            m.workloads().stream().filter(o -> o.operated() && o.owner().getKind().equals("KafkaNodePool")
                    && cluster.equals(Operated.clusterLabel((GenericKubernetesResource) o.owner()))).forEach(o -> nodes.add(o.name()));
            Set<String> topicOperator = m.workload(cluster + "-entity-operator").isPresent() ? Set.of(cluster + "-entity-operator") : Set.of();
            for (var port : w.pod().getContainers().get(0).getPorts()) {
                int p = port.getContainerPort();
                expected.put(p, switch (p) {
                    case Operated.REPLICATION_PORT -> union(union(nodes, topicOperator), Set.of(strimzi));
                    case Operated.CONTROLPLANE_PORT -> union(nodes, Set.of(strimzi));
                    case Operated.KAFKA_AGENT_PORT -> Set.of(strimzi);
                    default -> KAFKA_CLIENTS;
                });
            }
        } else if (w.owner().getKind().equals("Cluster")) {
            expected.put(Operated.POSTGRES_PORT, union(POSTGRES_CLIENTS, Set.of(w.name(), cnpg)));
            expected.put(Operated.STATUS_PORT, Set.of(w.name(), cnpg));
            expected.put(Operated.METRICS_PORT, Set.of());
        }
        if (expected.isEmpty()) {
            Set<String> actual = reach.sourcesReaching(w.name());
            if (!actual.isEmpty()) {
                v.add(w.name() + variant + " is reached by " + actual + ", must be reached by nobody");
            }
        }
        expected.forEach((port, allowed) -> {
            Set<String> actual = reach.sourcesReaching(w.name(), port);
            if (!actual.equals(allowed)) {
                v.add(w.name() + " port " + port + variant + " is reached by " + actual + ", must be exactly "
                        + new java.util.TreeSet<>(allowed));
            }
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return u;
    }

    static List<String> ingress(Manifest m) {
        List<String> v = new ArrayList<>();
        Map<String, String> routed = new LinkedHashMap<>();
        Set<String> hosts = new java.util.TreeSet<>();
        for (Ingress i : m.all(Ingress.class)) {
            for (var rule : i.getSpec().getRules()) {
                hosts.add(String.valueOf(rule.getHost()));
                for (var path : rule.getHttp().getPaths()) {
                    routed.put(path.getPath(), path.getBackend().getService().getName());
                    if (!"Prefix".equals(path.getPathType())) {
                        v.add("Ingress/" + i.getMetadata().getName() + ": path " + path.getPath() + " must be pathType Prefix");
                    }
                    if (path.getPath().equals("/api/ws")) {
                        webSocket(i, v);
                    }
                    String rewrite = Optional.ofNullable(i.getMetadata().getAnnotations()).orElse(Map.of())
                            .get("nginx.ingress.kubernetes.io/rewrite-target");
                    boolean document = path.getPath().startsWith("/docs/openapi/");
                    if (document && !DOCUMENT.equals(rewrite)) {
                        v.add("Ingress/" + i.getMetadata().getName() + ": " + path.getPath() + " must be rewritten to " + DOCUMENT
                                + " (rewrite-target), is " + rewrite);
                    } else if (!document && rewrite != null) {
                        v.add("Ingress/" + i.getMetadata().getName() + ": " + path.getPath() + " must reach its service as it is, not rewritten to " + rewrite);
                    }
                }
            }
        }
        ROUTES.forEach((path, service) -> {
            if (!service.equals(routed.get(path))) {
                v.add("Ingress: " + path + " must route to " + service + " but routes to " + routed.get(path));
            }
        });
        if (hosts.size() != 1) {
            v.add("Ingress: every route must be on one host (one origin for the browser), found " + hosts);
        }
        return v;
    }

    private static void webSocket(Ingress i, List<String> v) {
        Map<String, String> a = Optional.ofNullable(i.getMetadata().getAnnotations()).orElse(Map.of());
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            String value = a.get("nginx.ingress.kubernetes.io/" + timeout);
            if (value == null || Integer.parseInt(value) < 3600) {
                v.add("Ingress/" + i.getMetadata().getName() + ": /api/ws needs " + timeout + " of at least 3600 s (long-lived sockets)");
            }
        }
    }

    static List<String> gateway(Manifest m) {
        List<String> v = new ArrayList<>();
        Optional<Deployment> found = m.find(Deployment.class, "gateway-service");
        if (found.isEmpty()) {
            return List.of("Deployment/gateway-service is missing");
        }
        Deployment d = found.get();
        if (m.all(HorizontalPodAutoscaler.class).stream().noneMatch(h -> "gateway-service".equals(h.getSpec().getScaleTargetRef().getName())
                && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind()) && h.getSpec().getMaxReplicas() > h.getSpec().getMinReplicas())) {
            v.add("gateway-service: needs a HorizontalPodAutoscaler on its Deployment with maxReplicas > minReplicas");
        }
        if (d.getSpec().getReplicas() != null) {
            v.add("gateway-service: the Deployment must not set replicas: the HorizontalPodAutoscaler owns the count");
        }
        Workload w = m.workload("gateway-service").orElseThrow();
        if (m.all(PodDisruptionBudget.class).stream().noneMatch(p -> Manifest.matches(p.getSpec().getSelector(), w.labels()))) {
            v.add("gateway-service: needs a PodDisruptionBudget");
        }
        var strategy = d.getSpec().getStrategy();
        if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getMaxUnavailable() == null
                || !Integer.valueOf(1).equals(strategy.getRollingUpdate().getMaxUnavailable().getIntVal())) {
            v.add("gateway-service: rolling update with maxUnavailable: 1");
        }
        Container c = w.pod().getContainers().get(0);
        long preStop = 0;
        if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
            v.add("gateway-service: needs a preStop hook (the Ingress stops sending upgrades before the drain)");
        } else if (c.getLifecycle().getPreStop().getSleep() != null) {
            preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        }
        long needed = preStop + shutdownDelay().toSeconds() + DRAIN_FLUSH.toSeconds() + STOP_MARGIN.toSeconds();
        Long grace = w.pod().getTerminationGracePeriodSeconds();
        if (grace == null || grace < needed) {
            v.add("gateway-service: terminationGracePeriodSeconds " + grace + " does not cover preStop " + preStop
                    + " s + shutdown delay + drain + stop (" + needed + " s)");
        }
        return v;
    }

    /** quarkus.shutdown.delay of the gateway, read from its application.properties. */
    static Duration shutdownDelay() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(Paths.repo().resolve("gateway-service/src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String delay = p.getProperty("quarkus.shutdown.delay", "0s").trim();
        return Duration.parse("PT" + delay.toUpperCase());
    }

    private static Map<String, String> settings(String commaSeparated) {
        Map<String, String> s = new java.util.TreeMap<>();
        for (String pair : commaSeparated.split(",")) {
            String[] kv = pair.split("=", 2);
            s.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return s;
    }

    static List<String> topics(Manifest m) {
        if (!m.custom("Kafka").isEmpty() || !m.custom("KafkaTopic").isEmpty()) {
            return operatedTopics(m);
        }
        List<String> v = new ArrayList<>();
        Optional<ConfigMap> config = m.generatedConfigMap("kafka-config");
        String listed = config.map(c -> c.getData().get("topics.txt")).orElse("");
        Map<String, Integer> topics = new LinkedHashMap<>();
        Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        for (String line : listed.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2) {
                topics.put(parts[0], Integer.parseInt(parts[1]));
                settings.put(parts[0], parts.length > 2 ? settings(parts[2]) : Map.of());
            }
        }
        if (!topics.equals(Topics.PARTITIONS)) {
            v.add("kafka-config topics.txt " + topics + " must be the suite's topics " + Topics.PARTITIONS);
        }
        for (String topic : Topics.PARTITIONS.keySet()) {
            Map<String, String> expected = Topics.CONFIGS.getOrDefault(topic, Map.of());
            if (!expected.equals(settings.getOrDefault(topic, Map.of()))) {
                v.add("kafka-config topics.txt: " + topic + " must have the settings " + expected + ", not " + settings.get(topic));
            }
        }
        if (m.workload("kafka-topics").isEmpty()) {
            v.add("the kafka-topics Job that creates them is missing");
        }
        if (!m.generatedConfigMap("kafka-config").map(c -> c.getData().getOrDefault("server.properties", ""))
                .orElse("").contains("auto.create.topics.enable=false")) {
            v.add("Kafka must not auto-create topics (an auto-created notification-events would get the wrong partition count)");
        }
        return v;
    }

    /** Replication in an HA Kafka: three copies of every topic, two in sync for a write. */
    static final int REPLICATION_FACTOR = 3;
    static final int MIN_IN_SYNC = 2;
    static final Map<String, String> HA_BROKER_CONFIG = Map.of(
            "default.replication.factor", String.valueOf(REPLICATION_FACTOR),
            "min.insync.replicas", String.valueOf(MIN_IN_SYNC),
            "offsets.topic.replication.factor", String.valueOf(REPLICATION_FACTOR),
            "transaction.state.log.replication.factor", String.valueOf(REPLICATION_FACTOR),
            "transaction.state.log.min.isr", String.valueOf(MIN_IN_SYNC),
            "auto.create.topics.enable", "false");

    /**
     * On the Strimzi operator: a KafkaTopic per suite topic with its partition count and settings,
     * replicated three times with two in-sync replicas; a Topic Operator that creates them; brokers
     * that replicate (and keep the single node's retention), enough of them, and a KRaft quorum.
     */
    static List<String> operatedTopics(Manifest m) {
        List<String> v = new ArrayList<>();
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (GenericKubernetesResource t : m.custom("KafkaTopic")) {
            var spec = Manifest.tree(t).path("spec");
            String topic = spec.path("topicName").asText(t.getMetadata().getName());
            partitions.put(topic, spec.path("partitions").isMissingNode() ? null : spec.path("partitions").asInt());
            if (spec.path("replicas").asInt() != REPLICATION_FACTOR) {
                v.add("KafkaTopic/" + topic + ": replicas must be " + REPLICATION_FACTOR + ", is " + spec.path("replicas").asText("unset"));
            }
            Map<String, String> expected = new java.util.TreeMap<>(Topics.CONFIGS.getOrDefault(topic, Map.of()));
            expected.put("min.insync.replicas", String.valueOf(MIN_IN_SYNC));
            Map<String, String> actual = new java.util.TreeMap<>();
            spec.path("config").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
            if (!expected.equals(actual)) {
                v.add("KafkaTopic/" + topic + ": must have the settings " + expected + ", not " + actual);
            }
        }
        if (!partitions.equals(Topics.PARTITIONS)) {
            v.add("KafkaTopics " + new java.util.TreeMap<>(partitions) + " must be the suite's topics " + Topics.PARTITIONS);
        }
        if (m.custom("Kafka").isEmpty()) {
            v.add("the Kafka that runs the KafkaTopics is missing");
        }
        String retention = singleNodeBrokerSetting("log.retention.hours");
        for (GenericKubernetesResource kafka : m.custom("Kafka")) {
            String id = "Kafka/" + kafka.getMetadata().getName();
            var spec = Manifest.tree(kafka).path("spec");
            if (spec.path("entityOperator").path("topicOperator").isMissingNode()) {
                v.add(id + ": needs the Topic Operator (spec.entityOperator.topicOperator), which creates the KafkaTopics");
            }
            var config = spec.path("kafka").path("config");
            HA_BROKER_CONFIG.forEach((key, value) -> {
                if (!value.equals(config.path(key).asText(null))) {
                    v.add(id + ": config " + key + " must be " + value + ", is " + config.path(key).asText(null));
                }
            });
            if (!retention.equals(config.path("log.retention.hours").asText(null))) {
                v.add(id + ": config log.retention.hours must be " + retention + " as on the single node, is "
                        + config.path("log.retention.hours").asText(null));
            }
            int brokers = 0;
            int controllers = 0;
            for (GenericKubernetesResource pool : Operated.pools(m, kafka.getMetadata().getName())) {
                int replicas = Manifest.tree(pool).path("spec").path("replicas").asInt();
                brokers += Operated.roles(pool).contains("broker") ? replicas : 0;
                controllers += Operated.roles(pool).contains("controller") ? replicas : 0;
            }
            if (brokers < REPLICATION_FACTOR) {
                v.add(id + ": " + brokers + " brokers cannot hold " + REPLICATION_FACTOR + " replicas of a partition");
            }
            if (controllers < 3 || controllers % 2 == 0) {
                v.add(id + ": " + controllers + " controllers; a KRaft quorum that survives a lost node needs 3 or 5");
            }
        }
        return v;
    }

    /** A setting of the single node's server.properties (base/kafka), which the HA brokers keep. */
    static String singleNodeBrokerSetting(String key) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(Paths.k8s().resolve("base/kafka/server.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty(key);
    }

    /**
     * On the CloudNativePG operator: three instances with synchronous commits, and each service
     * connecting to the primary's Service, to a Database of the Cluster owned by the role it logs in
     * as, with the password from that role's Secret.
     */
    static List<String> database(Manifest m) {
        List<String> v = new ArrayList<>();
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            var spec = Manifest.tree(cluster).path("spec");
            String id = "Cluster/" + cluster.getMetadata().getName();
            if (spec.path("instances").asInt() < 3) {
                v.add(id + ": " + spec.path("instances").asInt() + " instance(s); a primary and two standbys survive a lost node");
            }
            if (spec.path("postgresql").path("synchronous").path("number").asInt() < 1 && spec.path("minSyncReplicas").asInt() < 1) {
                v.add(id + ": commits must wait for a standby (postgresql.synchronous), or a failover loses acknowledged writes");
            }
        }
        for (String service : List.of("auth-service", "notification-service")) {
            Optional<Workload> w = m.workload(service);
            if (w.isEmpty()) {
                v.add(service + ": no workload");
                continue;
            }
            Container c = w.get().pod().getContainers().get(0);
            Map<String, String> env = effectiveEnvironment(m, c);
            URI url = URI.create(env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:none://none/none").substring("jdbc:".length()));
            String host = url.getHost();
            Optional<GenericKubernetesResource> cluster = m.custom("Cluster").stream()
                    .filter(k -> (k.getMetadata().getName() + "-rw").equals(host)).findFirst();
            if (cluster.isEmpty()) {
                v.add(service + ": QUARKUS_DATASOURCE_JDBC_URL must name the read-write Service (<cluster>-rw) of a Cluster, names " + host);
                continue;
            }
            String database = url.getPath().substring(1);
            String user = env.get("QUARKUS_DATASOURCE_USERNAME");
            Optional<GenericKubernetesResource> db = m.custom("Database").stream().filter(d -> database.equals(Manifest.tree(d).path("spec")
                    .path("name").asText()) && cluster.get().getMetadata().getName().equals(Manifest.tree(d).path("spec").path("cluster").path("name").asText()))
                    .findFirst();
            if (db.isEmpty()) {
                v.add(service + ": database " + database + " is not a Database of " + "Cluster/" + cluster.get().getMetadata().getName());
            } else if (!Manifest.tree(db.get()).path("spec").path("owner").asText().equals(user)) {
                v.add(service + ": connects as " + user + " but database " + database + " is owned by "
                        + Manifest.tree(db.get()).path("spec").path("owner").asText());
            }
            String roleSecret = null;
            for (var role : Manifest.tree(cluster.get()).path("spec").path("managed").path("roles")) {
                if (role.path("name").asText().equals(user)) {
                    roleSecret = role.path("passwordSecret").path("name").asText(null);
                }
            }
            var password = c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD") && e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null).map(e -> e.getValueFrom().getSecretKeyRef()).findFirst();
            if (roleSecret == null) {
                v.add(service + ": role " + user + " is not a managed role of Cluster/" + cluster.get().getMetadata().getName()
                        + " with a password Secret");
            } else if (password.isEmpty() || !roleSecret.equals(password.get().getName()) || !"password".equals(password.get().getKey())) {
                v.add(service + ": QUARKUS_DATASOURCE_PASSWORD must come from key password of its role's Secret " + roleSecret + ", comes from "
                        + password.map(p -> p.getName() + " key " + p.getKey()).orElse("nowhere"));
            }
        }
        return v;
    }

    /** Each service gets what launch.Suite gives it, and every address in it names an existing Service and port. */
    static List<String> environment(Manifest m) {
        List<String> v = new ArrayList<>();
        ENVIRONMENT.forEach((service, expected) -> {
            Optional<Workload> w = m.workload(service);
            if (w.isEmpty()) {
                v.add(service + ": no workload");
                return;
            }
            Container c = w.get().pod().getContainers().get(0);
            Map<String, String> env = effectiveEnvironment(m, c);
            for (String name : expected) {
                if (!env.containsKey(name)) {
                    v.add(service + ": environment lacks " + name);
                }
            }
            if (env.containsKey("QUARKUS_PROFILE")) {
                v.add(service + ": must run the prod profile (no QUARKUS_PROFILE): no test users, keys from the Secret");
            }
            env.forEach((name, value) -> address(m, service, name, value, v));
            String port = env.get("PORT");
            if (port != null && !CrossReferences.hasPort(List.of(c), new io.fabric8.kubernetes.api.model.IntOrString(Integer.parseInt(port)))) {
                v.add(service + ": PORT " + port + " is not its container port");
            }
            String keyFile = env.get("NOTIFY_AUTH_KEYS_PRIVATE_KEY_FILE");
            if (keyFile != null && c.getVolumeMounts().stream().noneMatch(mount -> keyFile.startsWith(mount.getMountPath() + "/")
                    && w.get().pod().getVolumes().stream().anyMatch(vol -> vol.getName().equals(mount.getName()) && vol.getSecret() != null))) {
                v.add(service + ": " + keyFile + " is not in a mounted Secret");
            }
        });
        // the gateways present the secret auth-service checks: one Secret key for both
        List<String> gatewaySecret = new ArrayList<>();
        for (String service : List.of("auth-service", "gateway-service")) {
            m.workload(service).ifPresent(w -> w.pod().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("NOTIFY_GATEWAY_CLIENT_SECRET")).findFirst().ifPresent(e -> {
                        var ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
                        gatewaySecret.add(ref == null ? service + ": not from a Secret" : ref.getName() + "/" + ref.getKey());
                    }));
        }
        if (gatewaySecret.size() == 2 && (!gatewaySecret.get(0).equals(gatewaySecret.get(1)) || gatewaySecret.get(0).contains(":"))) {
            v.add("NOTIFY_GATEWAY_CLIENT_SECRET must come from one Secret key for auth-service and the gateways: " + gatewaySecret);
        }
        return v;
    }

    /** Env values (literal or from ConfigMaps; Secret values shown as "secret") of one container. */
    static Map<String, String> effectiveEnvironment(Manifest m, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        c.getEnvFrom().forEach(from -> {
            if (from.getConfigMapRef() != null) {
                m.configMap(from.getConfigMapRef().getName()).ifPresent(cm -> env.putAll(cm.getData()));
            }
        });
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                env.put(e.getName(), m.configMap(ref.getName()).map(cm -> cm.getData().get(ref.getKey())).orElse(""));
            } else {
                env.put(e.getName(), "secret");
            }
        }
        return env;
    }

    private static void address(Manifest m, String service, String name, String value, List<String> v) {
        String hostPort;
        if (value.startsWith("http://") || value.startsWith("https://")) {
            URI uri = URI.create(value);
            hostPort = uri.getHost() + ":" + uri.getPort();
        } else if (value.startsWith("jdbc:postgresql://")) {
            URI uri = URI.create(value.substring("jdbc:".length()));
            hostPort = uri.getHost() + ":" + uri.getPort();
        } else if (name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
            hostPort = value;
        } else {
            return;
        }
        String[] parts = hostPort.split(":");
        Optional<Service> target = m.service(parts[0]);
        if (target.isEmpty() || parts.length != 2
                || target.get().getSpec().getPorts().stream().noneMatch(p -> String.valueOf(p.getPort()).equals(parts[1]))) {
            v.add(service + ": " + name + "=" + value + " names no Service port in the build");
        }
    }
}
