package io.notify.notification.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The REST client of auth-service's directory against a stand-in auth-service: what it asks (the caller's token,
 * the ids, at most 200 a call), what it answers, and a 503 problem when auth-service cannot answer.
 */
@QuarkusTest
@TestProfile(DirectoryClientTest.StandInAuthService.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class DirectoryClientTest {

    /** auth-service's {@code GET /api/auth/users}: every id asked is in company {@code co_<first 4 chars>}. */
    static final HttpServer AUTH = standIn();
    static final List<String> ASKED = new CopyOnWriteArrayList<>();
    static final Caller.Credential CALLER = new Caller.Credential("caller-token", null);

    public static class StandInAuthService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notify.send.directory-url", "http://127.0.0.1:" + AUTH.getAddress().getPort());
        }
    }

    @Inject
    DirectoryClient directory;

    @BeforeEach
    void clear() {
        ASKED.clear();
    }

    @Test
    void asksWithTheCallersToken_inCallsOfAtMost200Ids_andAnswersTheCompanyOfEach() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<String> withOthers = new ArrayList<>(ids);
        withOthers.add("not-a-uuid");
        withOthers.add(ids.get(0));

        Map<String, String> companies = directory.companies(withOthers, CALLER);

        assertThat(companies).hasSize(250);
        ids.forEach(id -> assertThat(companies).containsEntry(id, "co_" + id.substring(0, 4)));
        assertThat(ASKED).as("two calls, with the caller's token").hasSize(2)
                .allSatisfy(a -> assertThat(a).startsWith("Bearer caller-token "));
        assertThat(ASKED.get(0).split("&")).hasSize(200);
    }

    @Test
    void forAUserAGatewayActsFor_asksWithTheGatewaysTokenAndTheSameHeader() {
        String id = UUID.randomUUID().toString();
        Caller.Credential acting = new Caller.Credential("gateway-token", "{\"sub\":\"" + id + "\"}");

        assertThat(directory.companies(List.of(id), acting)).containsEntry(id, "co_" + id.substring(0, 4));
        assertThat(directory.count("company_a", null, acting)).isEqualTo(42);

        assertThat(ASKED).containsExactly("Bearer gateway-token acting-for={\"sub\":\"" + id + "\"} id=" + id,
                "Bearer gateway-token acting-for={\"sub\":\"" + id + "\"} company=company_a");
    }

    @Test
    void auth_serviceFailing_isA503ProblemToRetryWithTheSameKey() {
        HttpProblem problem = catchThrowableOfType(HttpProblem.class,
                () -> directory.companies(List.of(UUID.randomUUID().toString()), new Caller.Credential("failing", null)));

        assertThat(problem.getStatusCode()).isEqualTo(503);
        assertThat(problem.getHeaders()).containsEntry("Retry-After", 5);
        assertThat(problem.getDetail()).contains("auth-service answered 500")
                .contains("retry with the same idempotency_key");
        assertThat(ASKED).as("an answer is not retried").hasSize(1);
    }

    @Test
    void count_asksWithTheCallersToken_forTheCompanyAndRole() {
        assertThat(directory.count("company_a", "admin", CALLER)).isEqualTo(42);
        assertThat(ASKED).containsExactly("Bearer caller-token company=company_a&role=admin");
    }

    @Test
    void count_auth_serviceFailing_isUnknown_neverAnError() {
        assertThat(directory.count("company_a", null, new Caller.Credential("failing", null))).isNull();
    }

    @Test
    void noIdsToAsk_asksNothing() {
        assertThat(directory.companies(List.of("not-a-uuid"), CALLER)).isEmpty();
        assertThat(ASKED).isEmpty();
    }

    private static HttpServer standIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/auth/users", DirectoryClientTest::answer);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String token = exchange.getRequestHeaders().getFirst("Authorization");
        String actingFor = exchange.getRequestHeaders().getFirst(ActingFor.HEADER);
        ASKED.add(token + (actingFor == null ? "" : " acting-for=" + actingFor) + " " + query);
        if ("Bearer failing".equals(token)) {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/count")) {
            json(exchange, "{\"count\": 42}");
            return;
        }
        List<String> users = new ArrayList<>();
        for (String param : query.split("&")) {
            String id = param.substring("id=".length());
            users.add("{\"id\":\"" + id + "\",\"username\":\"u\",\"company\":\"co_" + id.substring(0, 4) + "\"}");
        }
        json(exchange, "{\"users\":[" + String.join(",", users) + "]}");
    }

    private static void json(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
