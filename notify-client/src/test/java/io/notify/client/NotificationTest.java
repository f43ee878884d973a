package io.notify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class NotificationTest {

    @Test
    void builtNotification_isTheJsonTheServiceTakes() throws Exception {
        Notification n = Notification.to(Audience.role("admin", "company_a")).title("Standup moved")
                .message("10:30 today").type("meeting").priority(Priority.HIGH).data("meeting_id", 42)
                .link("/meetings/42").idempotencyKey("meeting-42-moved").externalId("standup-7").build();

        JsonNode json = Json.MAPPER.readTree(NotifyClient.json(n));

        assertThat(json).isEqualTo(Json.MAPPER.readTree("""
                {"audience": {"type": "role", "company": "company_a", "role": "admin"}, "title": "Standup moved",
                 "message": "10:30 today", "type": "meeting", "priority": "high", "data": {"meeting_id": 42},
                 "link": "/meetings/42", "idempotency_key": "meeting-42-moved", "external_id": "standup-7"}"""));
    }

    @Test
    void everyAudience_isSpelledAsTheApiTableSaysAndOptionalFieldsAreLeftOut() throws Exception {
        assertThat(json(Audience.user("u1"))).isEqualTo("{\"audience\":{\"type\":\"user\",\"user_ids\":[\"u1\"]},\"title\":\"t\",\"message\":\"m\"}");
        assertThat(json(Audience.users("u1", "u2"))).contains("{\"type\":\"users\",\"user_ids\":[\"u1\",\"u2\"]}");
        assertThat(json(Audience.company("company_a"))).contains("{\"type\":\"company\",\"company\":\"company_a\"}");
        assertThat(json(Audience.roleEverywhere("user"))).contains("{\"type\":\"role\",\"role\":\"user\"}");
        assertThat(json(Audience.everyone())).contains("{\"type\":\"everyone\"}");
        assertThat(json(Audience.topic("project-42", "company_a")))
                .contains("{\"type\":\"topic\",\"company\":\"company_a\",\"topic\":\"project-42\"}");
    }

    @Test
    void obviousMistakes_areRefusedBeforeSending_namingEveryField() {
        assertThatThrownBy(() -> Notification.to(Audience.users(List.of())).title(" ").message("x".repeat(4001))
                .type("Meeting").link("l".repeat(2049)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("audience.user_ids: a users audience names 1 to 10000 users", "title: must not be blank",
                        "message: at most 4000 characters", "type: must be lower_snake_case", "link: at most 2048");
        assertThatThrownBy(() -> Notification.to(Audience.roleEverywhere("owner")).title("t").message("m").build())
                .hasMessageContaining("audience.role: must be one of user, admin, service");
        assertThatThrownBy(() -> Notification.to(Audience.topic("project 42", "company_a")).title("t").message("m").build())
                .hasMessageContaining("audience.topic: must be a topic key");
        assertThatThrownBy(() -> Notification.to(Audience.user("u")).title("t\0").message("m").idempotencyKey("").build())
                .hasMessageContainingAll("title: must not contain NUL", "idempotency_key: must not be empty");
        for (String externalId : List.of("", "tab\there", "x".repeat(201))) {
            assertThatThrownBy(() -> Notification.to(Audience.user("u")).title("t").message("m").externalId(externalId).build())
                    .hasMessageContaining("external_id: must be 1 to 200 characters without control characters");
        }
    }

    @Test
    void actions_areSentInOrderWithTheirStyle_keptByToBuilder_andObviousMistakesRefused() throws Exception {
        Notification n = Notification.to(Audience.user("u1")).title("Expense 42").message("Approve?").type("approval")
                .action("approve", "Approve", Action.Style.PRIMARY).action("reject", "Reject").build();

        assertThat(Json.MAPPER.readTree(NotifyClient.json(n)).get("actions")).isEqualTo(Json.MAPPER.readTree("""
                [{"id": "approve", "label": "Approve", "style": "primary"}, {"id": "reject", "label": "Reject"}]"""));
        assertThat(n.toBuilder().build()).isEqualTo(n);
        assertThat(Json.MAPPER.readTree(NotifyClient.json(n.toBuilder().title("No buttons").build())).has("actions")).isTrue();
        assertThat(json(Audience.user("u1"))).as("none: left out").doesNotContain("actions");

        assertThatThrownBy(() -> Notification.to(Audience.user("u")).title("t").message("m").action("a", "A").action("b", "B")
                .action("c", "C").action("d", "D").build()).hasMessageContaining("actions: at most 3");
        assertThatThrownBy(() -> Notification.to(Audience.user("u")).title("t").message("m").action("same", "A")
                .action("same", "B").action("has space", "x".repeat(41)).build())
                .hasMessageContainingAll("actions: action ids must be unique", "actions[2].id:", "actions[2].label: at most 40");
    }

    @Test
    void aBuiltNotification_cannotBeChangedThroughWhatBuiltIt() {
        Map<String, Object> data = new HashMap<>(Map.of("a", 1));
        Notification.Builder builder = Notification.to(Audience.user("u")).title("t").message("m").data(data);
        Notification n = builder.build();
        data.put("b", 2);
        builder.data("c", 3);

        assertThat(n.data()).containsOnlyKeys("a");
        assertThatThrownBy(() -> n.data().put("d", 4)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withoutAKey_eachSendGetsItsOwn_andAGivenKeyIsKept() {
        Notification n = Notification.to(Audience.user("u")).title("t").message("m").build();
        assertThat(n.withIdempotencyKeyIfAbsent().idempotencyKey()).isNotBlank()
                .isNotEqualTo(n.withIdempotencyKeyIfAbsent().idempotencyKey());
        Notification keyed = n.toBuilder().idempotencyKey("k").build();
        assertThat(keyed.withIdempotencyKeyIfAbsent()).isSameAs(keyed);
    }

    @Test
    void kafkaRecord_isKeyedByTheAudience_andCarriesTheKeyInHeaderAndField() throws Exception {
        Notification n = Notification.to(Audience.company("company_a")).title("t").message("m").idempotencyKey("k-1").build();

        ProducerRecord<String, byte[]> record = NotifyKafkaProducer.record("notification-requests", n);

        assertThat(record.topic()).isEqualTo("notification-requests");
        assertThat(record.key()).isEqualTo("company_a");
        assertThat(new String(record.headers().lastHeader("idempotency-key").value(), StandardCharsets.UTF_8)).isEqualTo("k-1");
        assertThat(Json.MAPPER.readTree(record.value()).path("idempotency_key").asText()).isEqualTo("k-1");
        assertThat(NotifyKafkaProducer.record("t", n.toBuilder().idempotencyKey(null).build()).headers()
                .lastHeader("idempotency-key")).isNotNull();
        assertThat(Audience.user("u1").routingKey()).isEqualTo("u1");
        assertThat(Audience.everyone().routingKey()).isNull();
    }

    private static String json(Audience audience) {
        return new String(NotifyClient.json(Notification.to(audience).title("t").message("m").build()), StandardCharsets.UTF_8);
    }
}
