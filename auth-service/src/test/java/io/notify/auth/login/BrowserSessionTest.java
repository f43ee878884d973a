package io.notify.auth.login;

import static io.notify.auth.login.BrowserSessionResource.COOKIE;
import static io.notify.auth.login.BrowserSessionResource.CSRF_HEADER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The browser's session: the refresh token only ever in an HttpOnly, Secure, SameSite=Strict cookie scoped to
 * {@code /api/auth/session}, rotated on every refresh, revoked on logout; nothing without the CSRF header.
 */
@QuarkusTest
class BrowserSessionTest {

    private static final Map<String, String> USER1 = Map.of("username", "user1", "password", "wkwkwk");

    @Test
    void login_setsTheRefreshTokenAsAStrictHttpOnlyCookie_andNeverReturnsIt() {
        Response login = start(USER1);
        login.then().statusCode(200).body("token_type", equalTo("bearer")).body("$", not(hasKey("refresh_token")))
                .body("refresh_expires_in", org.hamcrest.Matchers.greaterThan(0));
        String header = login.getHeader("Set-Cookie");
        assertThat(header).startsWith(COOKIE + "=").containsIgnoringCase("HttpOnly").containsIgnoringCase("Secure")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/api/auth/session").containsIgnoringCase("Max-Age=");

        given().auth().oauth2(login.path("access_token").toString()).get("/api/auth/me")
                .then().statusCode(200).body("username", equalTo("user1"));
    }

    @Test
    void refresh_withTheCookie_issuesAnAccessToken_andRotatesIt_andAReusedCookieRevokesTheSession() {
        String first = start(USER1).getCookie(COOKIE);

        Response refreshed = refresh(first);
        refreshed.then().statusCode(200).body("$", not(hasKey("refresh_token")));
        String second = refreshed.getCookie(COOKIE);
        assertThat(second).isNotBlank().isNotEqualTo(first);
        given().auth().oauth2(refreshed.path("access_token").toString()).get("/api/auth/me").then().statusCode(200);

        // the first cookie again (stolen and replayed): refused, and the session of the rotated one is revoked too
        Response replay = refresh(first);
        replay.then().statusCode(401).contentType("application/problem+json").body("error", equalTo("invalid_grant"));
        assertThat(replay.getHeader("Set-Cookie")).startsWith(COOKIE + "=;").contains("Max-Age=0");
        refresh(second).then().statusCode(401);
    }

    @Test
    void refresh_withoutACookie_is401Problem() {
        given().header(CSRF_HEADER, "1").post("/api/auth/session/refresh")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void logout_revokesTheSessionAndClearsTheCookie() {
        String cookie = start(USER1).getCookie(COOKIE);
        Response logout = given().header(CSRF_HEADER, "1").cookie(COOKIE, cookie).delete("/api/auth/session");
        logout.then().statusCode(204);
        assertThat(logout.getHeader("Set-Cookie")).startsWith(COOKIE + "=;").contains("Max-Age=0");
        refresh(cookie).then().statusCode(401);

        // without a cookie there is nothing to revoke: still 204, still cleared
        given().header(CSRF_HEADER, "1").delete("/api/auth/session").then().statusCode(204);
    }

    @Test
    void withoutTheCsrfHeader_orCrossSite_nothingHappens() {
        String cookie = start(USER1).getCookie(COOKIE);

        given().contentType(ContentType.JSON).body(USER1).post("/api/auth/session")
                .then().statusCode(403).contentType("application/problem+json");
        given().cookie(COOKIE, cookie).post("/api/auth/session/refresh")
                .then().statusCode(403).contentType("application/problem+json");
        given().header(CSRF_HEADER, "1").header("Sec-Fetch-Site", "cross-site").cookie(COOKIE, cookie)
                .post("/api/auth/session/refresh").then().statusCode(403);
        given().cookie(COOKIE, cookie).delete("/api/auth/session").then().statusCode(403);

        refresh(cookie).then().statusCode(200); // none of those used or revoked it
    }

    @Test
    void wrongPassword_is401Problem_withoutACookie() {
        Response login = start(Map.of("username", "user1", "password", "not-the-password"));
        login.then().statusCode(401).contentType("application/problem+json");
        assertThat(login.getHeader("Set-Cookie")).isNull();
    }

    private static Response start(Map<String, String> credentials) {
        return given().header(CSRF_HEADER, "1").contentType(ContentType.JSON).body(credentials).post("/api/auth/session");
    }

    private static Response refresh(String cookie) {
        return given().header(CSRF_HEADER, "1").cookie(COOKIE, cookie).post("/api/auth/session/refresh");
    }
}
