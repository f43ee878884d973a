package io.notify.auth.changes;

import static io.notify.auth.TestApi.admin;
import static io.notify.auth.TestApi.createUser;
import static io.notify.auth.TestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.auth.TestApi;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every change other services act on reaches {@code user-changes} once, keyed by the account, with the resulting state,
 * as the contract describes it; a change nobody else keeps publishes nothing; and auth-service itself judges a token by
 * the account as it is now.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class UserChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachChangeIsPublishedOnce_keyedByTheUser_withTheResultingState() {
        String admin = admin();
        String username = unique("moved");
        String id = createUser(admin, username, "a-long-password-1", "company_a");
        patch(admin, "/api/auth/users/" + id, Map.of("display_name", "Only a name")); // nobody else keeps it
        patch(admin, "/api/auth/users/" + id, Map.of("roles", List.of("user", "admin")));
        patch(admin, "/api/auth/users/" + id, Map.of("company", "company_b"));
        patch(admin, "/api/auth/users/" + id, Map.of("roles", List.of("user", "admin"), "company", "company_b")); // no change
        patch(admin, "/api/auth/users/" + id, Map.of("enabled", false));

        List<JsonNode> changes = awaitChanges(id, 4);
        assertThat(changes).extracting(c -> c.path("type").asText())
                .containsExactly("user_created", "user_roles_changed", "user_company_changed", "user_disabled");
        JsonNode last = changes.get(3).path("user");
        assertThat(last.path("id").asText()).isEqualTo(id);
        assertThat(last.path("username").asText()).isEqualTo(username);
        assertThat(last.path("company").asText()).isEqualTo("company_b");
        assertThat(last.path("roles")).extracting(JsonNode::asText).containsExactly("admin", "user");
        assertThat(last.path("enabled").asBoolean(true)).isFalse();
        assertThat(changes.get(0).path("user").path("company").asText()).isEqualTo("company_a");
    }

    @Test
    void aDisabledUsersTokenIsRefusedAtOnce_andRolesAreTheCurrentOnes() {
        String admin = admin();
        String username = unique("promoted");
        String id = createUser(admin, username, "a-long-password-2", "company_a");
        String token = TestApi.accessToken(username, "a-long-password-2");
        given().auth().oauth2(token).get("/api/auth/users/count").then().statusCode(403);

        patch(admin, "/api/auth/users/" + id, Map.of("roles", List.of("user", "admin")));
        given().auth().oauth2(token).get("/api/auth/users/count").then().statusCode(200); // the token still says "user"

        patch(admin, "/api/auth/users/" + id, Map.of("enabled", false));
        given().auth().oauth2(token).get("/api/auth/me").then().statusCode(401);
        given().auth().oauth2(token).get("/api/auth/users").then().statusCode(401);
    }

    @Test
    void aMovedUsersToken_seesTheNewCompanysDirectory() {
        String admin = admin();
        String username = unique("mover");
        String id = createUser(admin, username, "a-long-password-3", "company_a");
        String token = TestApi.accessToken(username, "a-long-password-3");
        given().auth().oauth2(token).get("/api/auth/users").then().statusCode(200)
                .body("users.company", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("company_a")));

        patch(admin, "/api/auth/users/" + id, Map.of("company", "company_b"));

        given().auth().oauth2(token).get("/api/auth/users").then().statusCode(200)
                .body("users.company", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is("company_b")))
                .body("users.username", org.hamcrest.Matchers.hasItem("user2"));
        given().auth().oauth2(token).get("/api/auth/users/" + TestApi.USER1_ID).then().statusCode(404);
    }

    @Test
    void serviceAccountChangesArePublished_andADisabledAccountsTokenIsRefused() {
        String admin = admin();
        String clientId = unique("svc");
        Map<String, Object> created = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("client_id", clientId, "name", "A producer", "companies", List.of("company_a")))
                .post("/api/auth/service-accounts").then().statusCode(201).extract().jsonPath().getMap("");
        String id = (String) created.get("id");
        String token = given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", created.get("client_secret"))
                .post("/api/auth/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).get("/api/auth/users").then().statusCode(200);

        patch(admin, "/api/auth/service-accounts/" + id, Map.of("companies", List.of("company_a", "company_b")));
        patch(admin, "/api/auth/service-accounts/" + id, Map.of("enabled", false));

        List<JsonNode> changes = awaitChanges(id, 3);
        assertThat(changes).extracting(c -> c.path("type").asText())
                .containsExactly("service_account_created", "service_account_companies_changed", "service_account_disabled");
        JsonNode last = changes.get(2).path("service_account");
        assertThat(last.path("client_id").asText()).isEqualTo(clientId);
        assertThat(last.path("companies")).extracting(JsonNode::asText).containsExactly("company_a", "company_b");
        assertThat(last.path("enabled").asBoolean(true)).isFalse();
        given().auth().oauth2(token).get("/api/auth/users").then().statusCode(401);
    }

    @Test
    void sendQuotasAreSetByAdminsAndPublished() {
        String admin = admin();
        String slug = "quota_" + unique("co").substring(3).replace('-', '_');
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("slug", slug, "name", "Quota Co"))
                .post("/api/auth/companies").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("per_minute", 60))
                .put("/api/auth/companies/" + slug + "/send-quota").then().statusCode(200).body("send_quota_per_minute", org.hamcrest.Matchers.is(60));
        given().auth().oauth2(admin).delete("/api/auth/companies/" + slug + "/send-quota").then().statusCode(200)
                .body("send_quota_per_minute", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("per_minute", -1))
                .put("/api/auth/companies/" + slug + "/send-quota").then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("per_minute", 5))
                .put("/api/auth/companies/no_such_company/send-quota").then().statusCode(404);
        given().auth().oauth2(TestApi.user1()).contentType(ContentType.JSON).body(Map.of("per_minute", 5))
                .put("/api/auth/companies/" + slug + "/send-quota").then().statusCode(403);

        List<JsonNode> changes = awaitChanges("company:" + slug, 2);
        assertThat(changes).extracting(c -> c.path("type").asText())
                .containsExactly("company_send_quota_changed", "company_send_quota_changed");
        assertThat(changes.get(0).path("company").path("send_quota_per_minute").asInt()).isEqualTo(60);
        assertThat(changes.get(1).path("company").path("send_quota_per_minute").isMissingNode()
                || changes.get(1).path("company").path("send_quota_per_minute").isNull()).isTrue();

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("per_minute", 0))
                .put("/api/auth/service-accounts/" + TestApi.BILLING_ID + "/send-quota").then().statusCode(200)
                .body("send_quota_per_minute", org.hamcrest.Matchers.is(0));
        List<JsonNode> billing = awaitChanges(TestApi.BILLING_ID, 2);
        assertThat(billing.get(billing.size() - 1).path("type").asText()).isEqualTo("service_account_send_quota_changed");
        assertThat(billing.get(billing.size() - 1).path("service_account").path("send_quota_per_minute").asInt(-1)).isZero();
        given().auth().oauth2(admin).delete("/api/auth/service-accounts/" + TestApi.BILLING_ID + "/send-quota")
                .then().statusCode(200);
    }

    @Test
    void theSeededAccountsArePublished() {
        assertThat(awaitChanges(TestApi.USER1_ID, 1).get(0).path("user").path("username").asText()).isEqualTo("user1");
        assertThat(awaitChanges(TestApi.BILLING_ID, 1).get(0).path("service_account").path("client_id").asText())
                .isEqualTo("billing-service");
    }

    private static void patch(String admin, String path, Map<String, Object> body) {
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).patch(path).then().statusCode(200);
    }

    /** The account's records, once at least {@code count} are there; each valid against the contract. */
    private static List<JsonNode> awaitChanges(String key, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readToEnd(ChangeRelay.TOPIC, r -> key.equals(r.key()));
            return records.stream().map(r -> {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                Contracts.assertValid(Contracts.USER_CHANGE, value);
                return read(value);
            }).toList();
        }, changes -> changes.size() >= count);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
