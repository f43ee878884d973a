package io.notify.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Each check fails on its own deliberately broken fixture (src/test/resources/broken), for the right reason. */
class BrokenManifestsTest {

    private static Path fixture(String name) {
        return Paths.k8s().resolve("src/test/resources/broken").resolve(name);
    }

    private static List<ObjectNode> docs(String name) {
        return Documents.read(fixture(name));
    }

    /** The fixture binds cleanly, so that the check under test is the one that fails. */
    private static Manifest manifest(String name) {
        ModelBinding.Result bound = ModelBinding.bind(docs(name));
        assertThat(bound.violations()).as("fixture %s must bind", name).isEmpty();
        return new Manifest(bound.resources());
    }

    @Test
    void kustomizeBuildFailureIsReported() {
        assertThatThrownBy(() -> Kustomize.build(fixture("kustomize")))
                .isInstanceOf(Kustomize.KustomizeException.class)
                .hasMessageContaining("deployment-that-is-not-there.yaml");
    }

    @Test
    void unknownFieldsFailTheStrictBinding() {
        assertThat(ModelBinding.bind(docs("unknown-field.yaml")).violations()).containsExactlyInAnyOrder(
                "Deployment/auth-service: unknown field spec.replicaz",
                "Deployment/auth-service: unknown field spec.template.spec.containers[0].imagePullPolcy");
    }

    @Test
    void removedApiVersionsAreNotOnTheAllowlist() {
        assertThat(ModelBinding.bind(docs("api-version.yaml")).violations()).hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("PodDisruptionBudget/gateway-service: apiVersion policy/v1beta1")
                        .contains("not on the allowlist"))
                .anySatisfy(v -> assertThat(v).startsWith("Ingress/notify: apiVersion extensions/v1beta1"));
    }

    @Test
    void schemaViolationsAreCaughtWhereTheModelBinds() {
        assertThat(ModelBinding.bind(docs("schema.yaml")).violations()).isEmpty();
        assertThat(SchemaValidation.validate(docs("schema.yaml"))).containsExactlyInAnyOrder(
                "Service/auth-service: /spec/ports/0 must have required property port",
                "Deployment/auth-service: /spec/template/spec/containers/0 must have required property name");
    }

    @Test
    void danglingReferencesAreReported() {
        assertThat(CrossReferences.check(manifest("cross-references.yaml"))).containsExactlyInAnyOrder(
                "Deployment/auth-service: selector {app.kubernetes.io/name=auth} does not match its pod labels {app.kubernetes.io/name=auth-service}",
                "Deployment/auth-service container auth-service: mounts volume jwt that the pod does not have",
                "Deployment/auth-service container auth-service: envFrom ConfigMap auth-service-config is not produced",
                "Deployment/auth-service container auth-service: env NOTIFY_JWKS_URL refers to key NOTIFY_JWKS_URL of ConfigMap notify-config, which has only [KAFKA_BOOTSTRAP_SERVERS]",
                "Deployment/auth-service container auth-service: env QUARKUS_DATASOURCE_PASSWORD refers to Secret notify-db, which is not produced",
                "Service/auth-service: selector {app.kubernetes.io/name=auth} matches no pods",
                "Ingress/notify: backend Service gateway-service does not exist",
                "Ingress/notify: Service auth-service has no port https",
                "HorizontalPodAutoscaler/gateway-service: scale target Deployment/gateway-service does not exist",
                "PodDisruptionBudget/stray: selector matches no pods",
                "PodDisruptionBudget/stray: namespace default is not one the build creates [notify-broken]");
    }

    @Test
    void unpinnedUnsizedUnprobedOrPrivilegedContainersAreReported() {
        String c = "Deployment/notification-service container notification-service: ";
        assertThat(WorkloadPolicy.check(manifest("workload.yaml"))).containsExactlyInAnyOrder(
                c + "image 'ghcr.io/notify/notification-service:latest' is not pinned to a tag or digest (latest does not count)",
                c + "no cpu in resources.limits",
                c + "no memory in resources.limits",
                c + "no startupProbe",
                c + "livenessProbe must be an HTTP GET on SmallRye Health /q/health/live",
                c + "no readinessProbe",
                c + "must run as non-root (runAsNonRoot: true, runAsUser not 0)",
                c + "securityContext.readOnlyRootFilesystem must be true",
                c + "seccompProfile must be RuntimeDefault");
    }

    @Test
    void aPolicyThatOpensTheDatabaseToEveryPodIsReported() {
        assertThat(SuiteExpectations.network(manifest("network.yaml")))
                .contains("postgres is reached by [frontend, postgres], must be exactly [auth-service, notification-service]",
                        "frontend: no NetworkPolicy selects it, so anything reaches it");
    }

    @Test
    void aGatewayThatCannotDrainOrScaleIsReported() {
        assertThat(SuiteExpectations.gateway(manifest("gateway.yaml"))).containsExactlyInAnyOrder(
                "gateway-service: needs a HorizontalPodAutoscaler on its Deployment with maxReplicas > minReplicas",
                "gateway-service: the Deployment must not set replicas: the HorizontalPodAutoscaler owns the count",
                "gateway-service: needs a PodDisruptionBudget",
                "gateway-service: rolling update with maxUnavailable: 1",
                "gateway-service: needs a preStop hook (the Ingress stops sending upgrades before the drain)",
                "gateway-service: terminationGracePeriodSeconds 5 does not cover preStop 0 s + shutdown delay + drain + stop ("
                        + (SuiteExpectations.shutdownDelay().toSeconds() + 15) + " s)");
    }

    @Test
    void missingRoutesShortWebSocketTimeoutsAndTwoOriginsAreReported() {
        assertThat(SuiteExpectations.ingress(manifest("ingress.yaml"))).containsExactlyInAnyOrder(
                "Ingress/notify: /api/ws needs proxy-read-timeout of at least 3600 s (long-lived sockets)",
                "Ingress/notify: /api/ws needs proxy-send-timeout of at least 3600 s (long-lived sockets)",
                "Ingress: /api/broadcast must route to notification-service but routes to null",
                "Ingress: /api/topics must route to notification-service but routes to null",
                "Ingress: /docs/openapi/auth.json must route to auth-service but routes to null",
                "Ingress/notify: /docs/openapi/notification.json must be rewritten to /q/openapi?format=json (rewrite-target), is null",
                "Ingress: every route must be on one host (one origin for the browser), found [notify.example.com, www.example.com]");
    }

    @Test
    void wrongPartitionCountsOrTopicSettingsAreReported() {
        assertThat(SuiteExpectations.topics(manifest("topics.yaml"))).containsExactlyInAnyOrder(
                "kafka-config topics.txt {notification-requests=3, notification-requests-dlq=1, notification-events=3} must be the suite's topics "
                        + io.notify.infra.kafka.Topics.PARTITIONS,
                "kafka-config topics.txt: notification-requests must have the settings {max.message.bytes=16777216}, not {}",
                "kafka-config topics.txt: notification-receipts-dlq must have the settings {max.message.bytes=2097152}, not null",
                "kafka-config topics.txt: user-changes must have the settings {cleanup.policy=compact}, not null",
                "the kafka-topics Job that creates them is missing",
                "Kafka must not auto-create topics (an auto-created notification-events would get the wrong partition count)");
    }

    @Test
    void aServiceMissingItsEnvironmentOrPointingAtNothingIsReported() {
        assertThat(SuiteExpectations.environment(manifest("environment.yaml"))).contains(
                "gateway-service: environment lacks NOTIFY_JWKS_URL",
                "gateway-service: must run the prod profile (no QUARKUS_PROFILE): no test users, keys from the Secret",
                "gateway-service: NOTIFY_NOTIFICATION_SERVICE_URL=http://notification-service:9999 names no Service port in the build");
    }

    @Test
    void customResourcesAreValidatedAgainstTheirOperatorsCrdWithUnknownFieldsRejected() {
        assertThat(ModelBinding.bind(docs("custom-resources.yaml")).violations()).isEmpty();
        assertThat(SchemaValidation.validate(docs("custom-resources.yaml"))).containsExactlyInAnyOrder(
                "Kafka/notify: /spec/kafka must NOT have additional properties (unknown field replicaz)",
                "Kafka/notify: /spec/kafka/listeners/0/port must be integer",
                "KafkaTopic/notification-events: /spec/partitions must be integer",
                "Cluster/postgres: /spec/storage must NOT have additional properties (unknown field sizee)",
                "Database/auth: /spec must have required property 'owner'");
    }

    @Test
    void customResourcesOfNoVendoredCrdOrWithUnknownMetadataDoNotBind() {
        assertThat(ModelBinding.bind(docs("custom-resource-binding.yaml")).violations()).hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("Kafka/notify: apiVersion kafka.strimzi.io/v1beta2 kind Kafka is not on the allowlist")
                        .contains("nor served by a vendored CRD [").contains("kafka.strimzi.io/v1/Kafka"))
                .contains("KafkaTopic/notification-events: unknown field metadata.labelz");
    }

    @Test
    void aVendoredCrdThatIsNotItsNamedOriginalIsReported() {
        assertThat(Crds.provenance(Crds.read(fixture("crds")))).containsExactlyInAnyOrder(
                "fake-1.0.0/changed.yaml: the content is not git blob 1111111111111111111111111111111111111111 (changed after vendoring?)",
                "fake-1.0.0/unsourced.yaml: the header does not name the version 1.0.0 of its folder",
                "fake-1.0.0/unsourced.yaml: the header names no source blob ('(git blob <id>')");
    }

    @Test
    void operatorResourcesReferringToWhatIsNotThereAreReported() {
        assertThat(CrossReferences.check(manifest("operator-references.yaml"))).containsExactlyInAnyOrder(
                "KafkaNodePool/broker: label strimzi.io/cluster=kafka names no Kafka in the build",
                "KafkaTopic/notification-events: label strimzi.io/cluster=null names no Kafka in the build",
                "Kafka/notify: no KafkaNodePool with the controller role",
                "Cluster/postgres: role auth Secret notify-db-auth must be of type kubernetes.io/basic-auth, is Opaque",
                "Cluster/postgres: role auth Secret notify-db-auth has username admin, not the role's name",
                "Cluster/postgres: role notification Secret notify-db-notification is not produced",
                "Database/notification: owner nobody is not a role of Cluster/postgres [auth, notification]",
                "Database/stray: cluster pg is not a Cluster in the build");
    }

    @Test
    void aKafkaListenerOpenToEveryoneOrAnOperatorLockedOutIsReported() {
        assertThat(SuiteExpectations.network(manifest("network-ha.yaml"))).contains(
                "notify-broker port 9092 is reached by [CloudNativePG operator, Strimzi cluster operator, a pod of another namespace, "
                        + "ingress controller, notify-broker, postgres], must be exactly [auth-service, gateway-service, notification-service]",
                "notify-broker port 9091 (without Strimzi's own NetworkPolicy) is reached by [], must be exactly [Strimzi cluster operator, notify-broker]",
                "postgres port 8000 is reached by [postgres], must be exactly [CloudNativePG operator, postgres]");
    }

    @Test
    void operatorRunPodsThatAreUnpinnedUnsizedOrNotRestrictedAreReported() {
        String kafka = "KafkaNodePool/broker (pods notify-broker) container kafka: ";
        String postgres = "Cluster/postgres (pods postgres) container postgres: ";
        assertThat(WorkloadPolicy.check(manifest("workload-ha.yaml"))).containsExactlyInAnyOrder(
                kafka + "image '(chosen by the operator: no spec.kafka.version)' is not pinned to a tag or digest (latest does not count)",
                kafka + "no cpu in resources.requests",
                kafka + "no memory in resources.requests",
                kafka + "no cpu in resources.limits",
                kafka + "no memory in resources.limits",
                kafka + "must run as non-root (runAsNonRoot: true, runAsUser not 0)",
                kafka + "securityContext.allowPrivilegeEscalation must be false",
                kafka + "securityContext.capabilities must drop ALL",
                kafka + "securityContext.readOnlyRootFilesystem must be true",
                kafka + "seccompProfile must be RuntimeDefault",
                postgres + "image '(chosen by the operator: no spec.imageName)' is not pinned to a tag or digest (latest does not count)",
                postgres + "securityContext.readOnlyRootFilesystem must be true");
    }

    @Test
    void kafkaTopicsOrBrokersThatDoNotReplicateAsTheSuiteNeedsAreReported() {
        assertThat(SuiteExpectations.topics(manifest("topics-ha.yaml"))).containsExactlyInAnyOrder(
                "KafkaTopic/notification-events: replicas must be 3, is 1",
                "KafkaTopic/notification-events: must have the settings {min.insync.replicas=2}, not {}",
                "KafkaTopic/notification-requests: must have the settings {max.message.bytes=16777216, min.insync.replicas=2}, not {min.insync.replicas=2}",
                "KafkaTopics {notification-events=3, notification-requests=3} must be the suite's topics " + io.notify.infra.kafka.Topics.PARTITIONS,
                "Kafka/notify: needs the Topic Operator (spec.entityOperator.topicOperator), which creates the KafkaTopics",
                "Kafka/notify: config auto.create.topics.enable must be false, is true",
                "Kafka/notify: config transaction.state.log.min.isr must be 2, is null",
                "Kafka/notify: config log.retention.hours must be 168 as on the single node, is 24",
                "Kafka/notify: 1 brokers cannot hold 3 replicas of a partition",
                "Kafka/notify: 2 controllers; a KRaft quorum that survives a lost node needs 3 or 5");
    }

    @Test
    void aDatabaseThatIsNotHighlyAvailableOrThatTheServicesReachWronglyIsReported() {
        assertThat(SuiteExpectations.database(manifest("database-ha.yaml"))).containsExactlyInAnyOrder(
                "Cluster/postgres: 1 instance(s); a primary and two standbys survive a lost node",
                "Cluster/postgres: commits must wait for a standby (postgresql.synchronous), or a failover loses acknowledged writes",
                "auth-service: QUARKUS_DATASOURCE_JDBC_URL must name the read-write Service (<cluster>-rw) of a Cluster, names postgres-ro",
                "notification-service: connects as notification but database notification is owned by auth",
                "notification-service: QUARKUS_DATASOURCE_PASSWORD must come from key password of its role's Secret notify-db-notification, "
                        + "comes from notify-db key notification-db-password");
    }
}
