package io.notify.notification.outbox;

import static io.notify.notification.Tenant.body;
import static io.notify.notification.Tenant.userAudience;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.notify.notification.send.NotificationRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

/** What this service emits and accepts on Kafka is what contracts/asyncapi.yaml says. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
public class EventContractTest {

    final Tenant t = new Tenant();

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    /** The next event of {@code kind} on notification-events whose JSON contains every needle. */
    public static String awaitEvent(String kind, String... needles) {
        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events", r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            return KafkaRecords.isKind(value, kind) && java.util.Arrays.stream(needles).allMatch(value::contains);
        });
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfEmittedEvent_validatesAgainstTheContract() {
        String direct = t.send(body(userAudience(t.memberId), "Direct"));
        t.send(body("{\"type\":\"users\",\"user_ids\":[\"" + t.memberId + "\",\"" + t.member2Id + "\"]}", "Listed"));
        String shared = t.send(body(t.companyAudience(), "Company"));
        t.send(body("{\"type\":\"role\",\"role\":\"admin\",\"company\":\"" + t.company + "\"}", "Admins"));
        given().auth().oauth2(t.member).post("/api/notifications/" + direct + "/read").then().statusCode(204);
        given().auth().oauth2(t.member).post("/api/notifications/read-all").then().statusCode(200);
        String archived = t.send(body(t.companyAudience(), "To archive"));
        given().auth().oauth2(t.member).post("/api/notifications/" + archived + "/archive").then().statusCode(204);
        given().auth().oauth2(t.member).post("/api/notifications/" + archived + "/unarchive").then().statusCode(204);
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{}").post("/api/notifications/seen")
                .then().statusCode(200);
        given().auth().oauth2(t.member).delete("/api/notifications/" + shared).then().statusCode(204);
        given().auth().oauth2(t.member).contentType(ContentType.JSON).body("{\"types\":{\"info\":false}}")
                .put("/api/notifications/preferences").then().statusCode(200);

        List<String> events = List.of(
                awaitEvent("created", direct),
                awaitEvent("created", t.member2Id),
                awaitEvent("created", shared),
                awaitEvent("created", "\"" + t.company + "\"", "\"Admins\""), // created events are jsonb text: spaced
                awaitEvent("read", direct),
                awaitEvent("all_read", t.memberId),
                awaitEvent("archived", archived),
                awaitEvent("unarchived", archived),
                awaitEvent("all_seen", t.memberId),
                awaitEvent("deleted", shared),
                awaitEvent("preferences_updated", t.memberId));
        events.forEach(event -> Contracts.assertValid(Contracts.NOTIFICATION_EVENT, event));
    }

    @Test
    void deadLetterRecord_carriesTheHeadersTheContractNames() {
        String marker = UUID.randomUUID().toString();
        KafkaRecords.produce(new ProducerRecord<>("notification-requests", marker,
                ("{\"not\": \"a request\", \"marker\": \"" + marker + "\"}").getBytes(StandardCharsets.UTF_8)));
        ConsumerRecord<String, byte[]> dead = KafkaRecords.awaitRecord("notification-requests-dlq",
                r -> marker.equals(r.key()));
        assertThat(Contracts.validateHeaders(Contracts.NOTIFICATION_REQUEST_DEAD_LETTER, KafkaRecords.headers(dead)))
                .isEmpty();
    }

    /** The intake's validation (strict JSON + bean validation) agrees with the contract's samples. */
    @Test
    void intake_acceptsTheContractsValidSamples_andRejectsItsInvalidOnes() {
        ObjectMapper strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        for (String valid : List.of("notification-request.json", "notification-request-users.json")) {
            assertThat(violations(strict, Contracts.sample(valid))).as(valid).isEmpty();
        }
        for (String invalid : List.of("bad-priority.json", "missing-title.json", "unknown-field.json",
                "user-audience-two-ids.json", "external-id-control-char.json")) {
            assertThat(violations(strict, Contracts.sample("invalid/" + invalid))).as(invalid).isNotEmpty();
        }
    }

    private Set<?> violations(ObjectMapper strict, String sample) {
        try {
            return validator.validate(strict.readValue(sample, NotificationRequest.class));
        } catch (java.io.IOException e) {
            return Set.of(e.getMessage());
        }
    }

}
