package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * No access token, refresh token, password or client secret a system test used ever appears in a service's log.
 * Runs after every other system test (the highest {@code @Order}), so it scans the whole run's log of every
 * service process: everything {@link Secrets} collected from the REST traffic of all tests, plus a login, a
 * refresh and a client-credentials grant of its own (when the throttle lets them through).
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(SuiteExtension.class)
class LogSecretsSystemTest {

    @Test
    void noSecretUsedDuringTheRun_appearsInAnyServiceLog(Suite suite) throws IOException {
        // secrets of every kind, in case this test runs alone; best effort: after the fuzzer (which runs before
        // this test) user1 or the service account may be throttled (429), and the run's other tests used them anyway
        String origin = suite.origin().toString();
        Response login = given().baseUri(origin).contentType(ContentType.JSON)
                .body(Map.of("username", "user1", "password", "wkwkwk")).post("/api/auth/login");
        if (login.statusCode() == 200) {
            given().baseUri(origin).contentType(ContentType.JSON)
                    .body(Map.of("refresh_token", login.<String>path("refresh_token"))).post("/api/auth/refresh");
        }
        given().baseUri(origin).contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", "billing-service").formParam("client_secret", "billing-secret-change-me")
                .post("/api/auth/token");

        Map<String, Set<String>> secrets = Secrets.byKind();
        assertThat(secrets).as("secrets of every kind were used and collected")
                .containsKeys("password", "client_secret", "access_token", "refresh_token");

        List<String> services = new ArrayList<>(List.of("auth-service", "notification-service"));
        services.addAll(suite.gateways());
        List<String> leaks = new ArrayList<>();
        for (String service : services) {
            Path log = suite.service(service).logFile();
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(text).as("the log of " + service + " (" + log + ") has the run's output")
                    .contains("Profile local activated");
            secrets.forEach((kind, values) -> values.stream().filter(text::contains)
                    .forEach(v -> leaks.add(kind + " in " + service + "'s log: " + v.substring(0, 4) + "…")));
        }
        assertThat(leaks).as("secrets found in service logs").isEmpty();
    }
}
