package io.notify.infra.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ContractsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The field each invalid sample's errors must name; every file in samples/invalid needs an entry. */
    private static final Map<String, String> INVALID_FIELD = Map.of(
            "missing-title.json", "title",
            "user-audience-two-ids.json", "user_ids",
            "unknown-field.json", "prioirty",
            "bad-priority.json", "priority",
            "external-id-control-char.json", "external_id");

    static Stream<String> samples() throws IOException {
        return jsonFiles(Contracts.samplesDir());
    }

    static Stream<String> invalidSamples() throws IOException {
        return jsonFiles(Contracts.samplesDir().resolve("invalid"));
    }

    private static Stream<String> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> f.getFileName().toString())
                    .sorted().toList().stream();
        }
    }

    /**
     * notification-request*.json → NotificationRequest, notification-event-*.json → NotificationEvent,
     * notification-receipts.json → NotificationReceipts, notification-engagement-*.json → EngagementEvent, the DLQ
     * record description → DeadLetterRecord.
     */
    static String target(String sample) {
        if (sample.equals("notification-requests-dlq.json")) {
            return Contracts.DEAD_LETTER_RECORD;
        }
        if (sample.equals("notification-receipts.json")) {
            return Contracts.NOTIFICATION_RECEIPTS;
        }
        if (sample.startsWith("user-changes-")) {
            return Contracts.USER_CHANGE;
        }
        if (sample.startsWith("notification-engagement-")) {
            return Contracts.ENGAGEMENT_EVENT;
        }
        if (sample.startsWith("notification-event-")) {
            return Contracts.NOTIFICATION_EVENT;
        }
        if (sample.startsWith("notification-request")) {
            return Contracts.NOTIFICATION_REQUEST;
        }
        throw new AssertionError("No message known for sample " + sample + "; extend ContractsTest.target");
    }

    @Test
    void documentDeclaresEveryChannel() {
        JsonNode doc = Contracts.document();
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        assertThat(addresses).containsExactlyInAnyOrder("notification-requests", "notification-requests-dlq",
                "notification-events", "notification-receipts", "notification-receipts-dlq", "notification-engagement",
                "user-changes", "/api/ws");
        assertThat(Contracts.messageNames()).contains(Contracts.NOTIFICATION_REQUEST,
                Contracts.NOTIFICATION_REQUEST_DEAD_LETTER, Contracts.NOTIFICATION_EVENT, Contracts.NOTIFICATION_RECEIPTS,
                Contracts.ENGAGEMENT_EVENT, Contracts.USER_CHANGE);
        assertThat(doc.at("/channels/notificationEvents/bindings/kafka/partitions").asInt()).isEqualTo(1);
    }

    @Test
    void everyLocalRefResolves() {
        List<String> broken = new ArrayList<>();
        collectRefs(Contracts.document(), broken);
        assertThat(broken).isEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || Contracts.document().at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(ref.asText());
            }
        }
        node.forEach(child -> collectRefs(child, broken));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleIsValid(String sample) {
        assertThat(Contracts.validate(target(sample), Contracts.sample(sample))).isEmpty();
        Contracts.assertValid(target(sample), Contracts.sample(sample));
    }

    @Test
    void theSamplesCoverEveryEventKind() throws IOException {
        List<String> kinds = new ArrayList<>();
        for (String sample : samples().toList()) {
            if (target(sample).equals(Contracts.NOTIFICATION_EVENT)) {
                kinds.add(JSON.readTree(Contracts.sample(sample)).path("kind").asText());
            }
        }
        List<String> declared = new ArrayList<>();
        Contracts.document().at("/components/schemas/NotificationEvent/properties/kind/enum")
                .forEach(kind -> declared.add(kind.asText()));
        assertThat(declared).contains("created", "read", "all_read", "all_seen", "archived", "unarchived", "deleted",
                "preferences_updated");
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theSamplesCoverEveryEngagementKind() throws IOException {
        List<String> kinds = new ArrayList<>();
        for (String sample : samples().toList()) {
            if (target(sample).equals(Contracts.ENGAGEMENT_EVENT)) {
                kinds.add(JSON.readTree(Contracts.sample(sample)).path("kind").asText());
            }
        }
        List<String> declared = new ArrayList<>();
        Contracts.document().at("/components/schemas/EngagementEvent/properties/kind/enum").forEach(k -> declared.add(k.asText()));
        assertThat(declared).isNotEmpty();
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void theDeadLetterSampleHoldsARequestThatFails() throws IOException {
        JsonNode record = JSON.readTree(Contracts.sample("notification-requests-dlq.json"));
        String original = new String(Base64.getDecoder().decode(record.path("value_base64").asText()));
        assertThat(Contracts.validate(Contracts.NOTIFICATION_REQUEST, original)).anyMatch(e -> e.contains("user_ids"));
        Map<String, String> headers = JSON.convertValue(record.path("headers"), Map.class);
        assertThat(Contracts.validateHeaders(Contracts.NOTIFICATION_REQUEST_DEAD_LETTER, headers)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidSamples")
    void everyInvalidSampleFailsNamingTheField(String sample) {
        assertThat(INVALID_FIELD).as("expected field for invalid/%s", sample).containsKey(sample);
        List<String> errors = Contracts.validate(Contracts.NOTIFICATION_REQUEST, Contracts.sample("invalid/" + sample));
        assertThat(errors).isNotEmpty().anyMatch(e -> e.contains(INVALID_FIELD.get(sample)));
        assertThatThrownBy(() -> Contracts.assertValid(Contracts.NOTIFICATION_REQUEST,
                Contracts.sample("invalid/" + sample)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(INVALID_FIELD.get(sample));
    }

    @Test
    void everyExampleInTheDocumentIsValid() {
        Contracts.document().path("components").path("messages").fields().forEachRemaining(m -> {
            for (JsonNode example : m.getValue().path("examples")) {
                String where = m.getKey() + " example " + example.path("name").asText();
                assertThat(Contracts.validate(m.getKey(), example.path("payload"))).as(where).isEmpty();
                if (example.has("headers")) {
                    Map<String, String> headers = JSON.convertValue(example.get("headers"), Map.class);
                    assertThat(Contracts.validateHeaders(m.getKey(), headers)).as(where).isEmpty();
                }
            }
        });
    }

    @Test
    void audienceRulesPerType() {
        assertThat(request("{\"type\":\"user\",\"user_ids\":[\"u1\"]}")).isEmpty();
        assertThat(request("{\"type\":\"user\"}")).anyMatch(e -> e.contains("user_ids"));
        assertThat(request("{\"type\":\"user\",\"user_ids\":[\"u1\"],\"company\":\"c\"}")).anyMatch(e -> e.contains("company"));
        assertThat(request("{\"type\":\"users\",\"user_ids\":[\"u1\",\"u2\"]}")).isEmpty();
        assertThat(request("{\"type\":\"users\",\"user_ids\":[]}")).anyMatch(e -> e.contains("user_ids"));
        assertThat(request("{\"type\":\"users\",\"user_ids\":[\"\"]}")).anyMatch(e -> e.contains("user_ids"));
        assertThat(request("{\"type\":\"company\",\"company\":\"company_a\"}")).isEmpty();
        assertThat(request("{\"type\":\"company\"}")).anyMatch(e -> e.contains("company"));
        assertThat(request("{\"type\":\"company\",\"company\":\"c\",\"user_ids\":[\"u1\"]}")).anyMatch(e -> e.contains("user_ids"));
        assertThat(request("{\"type\":\"role\",\"role\":\"admin\"}")).isEmpty();
        assertThat(request("{\"type\":\"role\",\"role\":\"admin\",\"company\":\"c\"}")).isEmpty();
        assertThat(request("{\"type\":\"role\"}")).anyMatch(e -> e.contains("role"));
        assertThat(request("{\"type\":\"role\",\"role\":\"root\"}")).anyMatch(e -> e.contains("role"));
        assertThat(request("{\"type\":\"everyone\"}")).isEmpty();
        assertThat(request("{\"type\":\"everyone\",\"role\":\"admin\"}")).anyMatch(e -> e.contains("role"));
        assertThat(request("{\"type\":\"everyone\",\"company\":null,\"role\":null,\"user_ids\":null}")).isEmpty();
        assertThat(request("{\"type\":\"nobody\"}")).anyMatch(e -> e.contains("type"));
        assertThat(request("{\"type\":\"everyone\",\"colour\":\"red\"}")).anyMatch(e -> e.contains("colour"));
    }

    private static List<String> request(String audience) {
        return Contracts.validate(Contracts.NOTIFICATION_REQUEST,
                "{\"audience\":" + audience + ",\"title\":\"t\",\"message\":\"m\"}");
    }

    @Test
    void requestFieldRules() {
        assertThat(requestWith("\"title\":\"   \"")).anyMatch(e -> e.contains("title"));
        assertThat(requestWith("\"title\":\"" + "x".repeat(201) + "\"")).anyMatch(e -> e.contains("title"));
        assertThat(requestWith("\"title\":\"t\",\"type\":\"Meeting\"")).anyMatch(e -> e.contains("type"));
        assertThat(requestWith("\"title\":\"t\",\"type\":\"my_own_type\"")).isEmpty();
        assertThat(requestWith("\"title\":\"t\",\"expires_at\":\"tomorrow\"")).anyMatch(e -> e.contains("expires_at"));
        assertThat(requestWith("\"title\":\"t\",\"expires_at\":\"2030-01-01T10:00:00+02:00\"")).isEmpty();
        assertThat(requestWith("\"title\":\"t\",\"idempotency_key\":\"\"")).anyMatch(e -> e.contains("idempotency_key"));
        assertThat(requestWith("\"title\":\"t\",\"data\":[1]")).anyMatch(e -> e.contains("data"));
        assertThat(requestWith("\"title\":\"t\",\"type\":null,\"priority\":null,\"data\":null,\"link\":null,"
                + "\"expires_at\":null,\"idempotency_key\":null")).isEmpty();
        assertThat(Contracts.validate(Contracts.NOTIFICATION_REQUEST, "hello")).singleElement()
                .satisfies(e -> assertThat(e).startsWith("not JSON:"));
        assertThat(Contracts.validate(Contracts.NOTIFICATION_REQUEST, "[]")).isNotEmpty();
        assertThat(Contracts.validateHeaders(Contracts.NOTIFICATION_REQUEST, Map.of("idempotency-key", "k"))).isEmpty();
        assertThat(Contracts.validateHeaders(Contracts.NOTIFICATION_REQUEST, Map.of("idempotency-key", "")))
                .anyMatch(e -> e.contains("idempotency-key"));
    }

    private static List<String> requestWith(String fields) {
        return Contracts.validate(Contracts.NOTIFICATION_REQUEST,
                "{\"audience\":{\"type\":\"everyone\"},\"message\":\"m\"," + fields + "}");
    }

    @Test
    void eventRulesPerKind() throws IOException {
        Map<String, Object> read = event("notification-event-read.json");
        read.put("audience", Map.of("type", "company", "company", "c"));
        assertThat(validEvent(read)).anyMatch(e -> e.contains("audience"));

        Map<String, Object> deleted = event("notification-event-deleted.json");
        deleted.remove("notification_id");
        assertThat(validEvent(deleted)).anyMatch(e -> e.contains("notification_id"));

        Map<String, Object> created = event("notification-event-created.json");
        created.put("something_new", Map.of("added", "later"));
        assertThat(validEvent(created)).as("unknown fields are tolerated").isEmpty();
        created.put("notification_id", "7d9f0e2a-61c4-4c7b-8b1e-2f4a5c6d7e8f");
        assertThat(validEvent(created)).anyMatch(e -> e.contains("notification_id"));

        Map<String, Object> created2 = event("notification-event-created.json");
        created2.remove("notification");
        assertThat(validEvent(created2)).anyMatch(e -> e.contains("notification"));

        Map<String, Object> allRead = event("notification-event-all_read.json");
        allRead.put("seq", 0);
        allRead.put("event_id", "not-a-uuid");
        allRead.put("schema_version", 2);
        assertThat(validEvent(allRead)).anyMatch(e -> e.contains("seq")).anyMatch(e -> e.contains("event_id"))
                .anyMatch(e -> e.contains("schema_version"));

        Map<String, Object> prefs = event("notification-event-preferences_updated.json");
        prefs.put("preferences", Map.of("types", Map.of("Bad-Type", true)));
        assertThat(validEvent(prefs)).anyMatch(e -> e.contains("preferences"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String sample) throws IOException {
        return new HashMap<>(JSON.readValue(Contracts.sample(sample), Map.class));
    }

    private static List<String> validEvent(Map<String, Object> event) throws IOException {
        return Contracts.validate(Contracts.NOTIFICATION_EVENT, JSON.writeValueAsString(event));
    }

    @Test
    void unknownNamesAndSamplesAreRejected() {
        assertThatThrownBy(() -> Contracts.validate("NoSuchMessage", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NotificationRequest");
        assertThatThrownBy(() -> Contracts.sample("../asyncapi.yaml")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Contracts.repoRoot().resolve("contracts/asyncapi.yaml")).isRegularFile();
    }
}
