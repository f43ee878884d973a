package io.notify.auth;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwt.JwtClaims;

import io.notify.infra.test.TokenForgery;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test support shared by every capability's tests: seeded identities, logins from distinct client addresses, and token claims. */
public final class TestApi {

    public static final String ADMIN_ID = "00000000-0000-4000-8000-00000000a001";
    public static final String USER1_ID = "00000000-0000-4000-8000-00000000a002";
    public static final String USER2_ID = "00000000-0000-4000-8000-00000000b001";
    public static final String BILLING_ID = "00000000-0000-4000-8000-0000000000c1";
    public static final Path SIGNING_KEY = Path.of("target/test-keys/jwt-private.pem");

    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private TestApi() {
    }

    /** A client address no other test uses (the trusted local proxy forwards it), so throttle counters stay apart. */
    public static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    public static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    public static Response loginAttempt(String username, String password, String address) {
        return from(address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login");
    }

    /** The whole token response of a successful login. */
    public static Map<String, Object> login(String username, String password) {
        return loginAttempt(username, password, freshAddress()).then().statusCode(200).extract().jsonPath().getMap("");
    }

    public static String accessToken(String username, String password) {
        return (String) login(username, password).get("access_token");
    }

    public static String admin() {
        return accessToken("admin", "wkwkwk");
    }

    public static String user1() {
        return accessToken("user1", "wkwkwk");
    }

    public static String user2() {
        return accessToken("user2", "password2");
    }

    public static String billing() {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "billing-service")
                .formParam("client_secret", "billing-secret-change-me")
                .post("/api/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/api/auth/refresh");
    }

    /** Creates a user through the admin API; returns its id. */
    public static String createUser(String admin, String username, String password, String company, String... roles) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "display_name", "Test " + username,
                        "company", company, "roles", roles.length == 0 ? new String[] { "user" } : roles))
                .post("/api/auth/users")
                .then().statusCode(201).extract().path("id");
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- tokens made outside auth-service, for the attacks ----

    public static JwtClaims claims(String subject, String company, String... groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("notify-auth");
        claims.setAudience("notify");
        claims.setSubject(subject);
        claims.setClaim("upn", "forged");
        claims.setStringListClaim("groups", groups);
        claims.setClaim("company", company);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    /** auth-service's own signing key (generated at test start), to sign and forge with. */
    public static TokenForgery serviceKey() {
        return TokenForgery.fromPem(SIGNING_KEY);
    }
}
