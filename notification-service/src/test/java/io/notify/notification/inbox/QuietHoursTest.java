package io.notify.notification.inbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Quiet hours in the preferences (issue 25): stored with the types, answered by {@code GET}, told to the user's
 * other tabs and to the gateways ({@code preferences_updated}), loaded by the gateways with the muted types, removed
 * by {@code DELETE /preferences/quiet-hours}; invalid ones are 400 problems naming the field.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class QuietHoursTest {

    static final String PATH = "/api/notifications/preferences";
    static final Map<String, String> BERLIN_NIGHTS = Map.of("start", "22:00", "end", "07:00", "timezone", "Europe/Berlin");

    final Tenant t = new Tenant();

    static ValidatableResponse put(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).put(PATH).then();
    }

    @Test
    void quietHours_roundTrip_keptByATypeChange_toldToOtherTabs_andLoadedByGateways() {
        given().auth().oauth2(t.member).get(PATH).then().statusCode(200).body("quiet_hours", nullValue());

        put(t.member, Map.of("types", Map.of(), "quiet_hours", BERLIN_NIGHTS)).statusCode(200)
                .body("quiet_hours.start", equalTo("22:00")).body("quiet_hours.end", equalTo("07:00"))
                .body("quiet_hours.timezone", equalTo("Europe/Berlin"));
        // a change of types alone keeps them (the dashboard sends one switch at a time)
        put(t.member, Map.of("types", Map.of("info", false))).statusCode(200)
                .body("types.info", equalTo(false)).body("quiet_hours.start", equalTo("22:00"));
        given().auth().oauth2(t.member).get(PATH).then().statusCode(200)
                .body("quiet_hours.start", equalTo("22:00")).body("quiet_hours.end", equalTo("07:00"))
                .body("quiet_hours.timezone", equalTo("Europe/Berlin"));
        given().auth().oauth2(t.member2).get(PATH).then().statusCode(200).body("quiet_hours", nullValue());

        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events", r -> {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            return KafkaRecords.isKind(value, "preferences_updated") && value.contains(t.memberId)
                    && value.contains("\"info\":false");
        });
        JsonPath event = JsonPath.from(new String(record.value(), StandardCharsets.UTF_8));
        assertThat(event.getString("preferences.quiet_hours.timezone")).isEqualTo("Europe/Berlin");

        JsonPath loads = given().auth().oauth2(TestTokens.gatewayToken()).contentType(ContentType.JSON)
                .body(Map.of("user_ids", List.of(t.memberId, t.member2Id))).post(PATH + "/muted").then().statusCode(200)
                .extract().jsonPath();
        assertThat(loads.getString("results[0].quiet_hours.start")).isEqualTo("22:00");
        assertThat(loads.getString("results[0].quiet_hours.end")).isEqualTo("07:00");
        assertThat(loads.getString("results[0].quiet_hours.timezone")).isEqualTo("Europe/Berlin");
        assertThat(loads.getList("results[0].muted", String.class)).containsExactly("info");
        assertThat(loads.getMap("results[1]")).doesNotContainKey("quiet_hours");

        // replaced, then removed
        put(t.member, Map.of("types", Map.of(), "quiet_hours", Map.of("start", "13:30", "end", "14:00",
                "timezone", "America/New_York"))).statusCode(200).body("quiet_hours.start", equalTo("13:30"));
        given().auth().oauth2(t.member).delete(PATH + "/quiet-hours").then().statusCode(200)
                .body("quiet_hours", nullValue()).body("types.info", equalTo(false));
        given().auth().oauth2(t.member).get(PATH).then().statusCode(200).body("quiet_hours", nullValue());
        given().auth().oauth2(t.member).delete(PATH + "/quiet-hours").then().statusCode(200); // nothing to remove
    }

    @Test
    void invalidQuietHours_are400Problems_namingTheField_andChangeNothing() {
        Map<String, Map<String, String>> cases = Map.of(
                "quiet_hours.timezone", Map.of("start", "22:00", "end", "07:00", "timezone", "Mars/Olympus_Mons"),
                "quiet_hours.start", Map.of("start", "24:00", "end", "07:00", "timezone", "Europe/Berlin"),
                "quiet_hours.end", Map.of("start", "22:00", "end", "7am", "timezone", "Europe/Berlin"));
        cases.forEach((field, quiet) -> put(t.member, Map.of("types", Map.of(), "quiet_hours", quiet)).statusCode(400)
                .contentType("application/problem+json").body("violations.field", hasItem(field)));

        put(t.member, Map.of("types", Map.of(), "quiet_hours", Map.of("start", "22:00", "end", "22:00",
                "timezone", "Europe/Berlin"))).statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("quiet_hours.end"));
        put(t.member, Map.of("types", Map.of(), "quiet_hours", Map.of("start", "22:00", "end", "07:00",
                "timezone", "+02:00"))).statusCode(400).body("violations.field", hasItem("quiet_hours.timezone"));
        put(t.member, Map.of("types", Map.of(), "quiet_hours", Map.of("end", "07:00", "timezone", "Europe/Berlin")))
                .statusCode(400).body("violations.field", hasItem("quiet_hours.start"));

        given().auth().oauth2(t.member).get(PATH).then().statusCode(200).body("quiet_hours", nullValue());
    }
}
