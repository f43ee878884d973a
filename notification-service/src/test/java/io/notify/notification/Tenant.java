package io.notify.notification;

import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jwt.JwtClaims;

import io.notify.infra.test.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A fresh company per test, so that inbox assertions never see another test's data: an admin, two
 * members and a user of another company, with their tokens. Every user is known to
 * {@link #DIRECTORY}, which stands in for auth-service's user directory.
 */
public final class Tenant {

    /** user id → company, for the fake directory. */
    public static final Map<String, String> DIRECTORY = new ConcurrentHashMap<>();

    public final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    public final String otherCompany = company + "_other";
    public final String adminId = user(company);
    public final String memberId = user(company);
    public final String member2Id = user(company);
    public final String outsiderId = user(otherCompany);
    public final String admin = token(adminId, "admin", company, Set.of("admin", "user"));
    public final String member = token(memberId, "member", company, Set.of("user"));
    public final String member2 = token(member2Id, "member2", company, Set.of("user"));
    public final String outsider = token(outsiderId, "outsider", otherCompany, Set.of("user"));

    /** A service account's token (client credentials: no company claim) scoped to {@code companies}. */
    public static String serviceToken(String subject, Set<String> companies) {
        JwtClaims c = TestTokens.claims(subject, "billing-service", null, Set.of("service"),
                Instant.now().plusSeconds(600));
        c.setStringListClaim("companies", List.copyOf(companies));
        c.unsetClaim("company");
        return TestTokens.sign(c);
    }

    private static String user(String company) {
        String id = UUID.randomUUID().toString();
        DIRECTORY.put(id, company);
        return id;
    }

    public static String body(String audience, String title) {
        return body(audience, title, "meeting", "high");
    }

    public static String body(String audience, String title, String type, String priority) {
        return "{\"audience\":" + audience + ",\"title\":\"" + title + "\",\"message\":\"Hello\",\"type\":\"" + type
                + "\",\"priority\":\"" + priority + "\",\"data\":{\"meeting_id\":42},\"link\":\"/meetings/42\"}";
    }

    public String companyAudience() {
        return "{\"type\":\"company\",\"company\":\"" + company + "\"}";
    }

    public static String userAudience(String userId) {
        return "{\"type\":\"user\",\"user_ids\":[\"" + userId + "\"]}";
    }

    /** Sends as the admin; returns the new notification's id. */
    public String send(String body) {
        return send(admin, body);
    }

    public static String send(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/notifications")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static JsonPath inbox(String token, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query).get("/api/notifications")
                .then().statusCode(200).extract().jsonPath();
    }

    public static List<String> titles(String token) {
        return inbox(token, Map.of()).getList("items.title");
    }

    public static JsonPath unread(String token) {
        return given().auth().oauth2(token).get("/api/notifications/unread-count")
                .then().statusCode(200).extract().jsonPath();
    }
}
