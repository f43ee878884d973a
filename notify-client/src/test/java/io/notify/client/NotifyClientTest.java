package io.notify.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.notify.infra.test.MovableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a real HTTP server playing auth-service and notification-service. */
class NotifyClientTest {

    static final String STORED = """
            {"id":"7f0c2a8e-1111-4000-8000-000000000001","seq":42,"audience":{"type":"user"},"title":"t",
             "message":"m","type":"general","priority":"normal","data":null,"link":null,"sender":"billing",
             "created_at":"2026-12-06T01:00:00Z","expires_at":null,"new_field":1}""";

    record Answer(int status, String body, String retryAfter) {
    }

    record Call(String authorization, JsonNode body) {
    }

    HttpServer server;
    URI base;
    final AtomicInteger tokensIssued = new AtomicInteger();
    final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    final Queue<Answer> answers = new ArrayDeque<>();
    final List<Call> sends = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/auth/token", exchange -> {
            tokenAuthorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            respond(exchange, 200, "{\"access_token\":\"token-" + tokensIssued.incrementAndGet()
                    + "\",\"token_type\":\"bearer\",\"expires_in\":900}", null);
        });
        server.createContext("/api/notifications", exchange -> {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            sends.add(new Call(exchange.getRequestHeaders().getFirst("Authorization"),
                    Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes())));
            Answer answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new Answer(201, STORED, null) : answers.remove();
            }
            respond(exchange, answer.status, answer.body, answer.retryAfter);
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    NotifyClient client() {
        return NotifyClient.builder(base).clientCredentials("billing-service", "s3cret").maxAttempts(4)
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).sleeper(waits::add).build();
    }

    static Notification notification() {
        return Notification.to(Audience.user("u1")).title("t").message("m").build();
    }

    @Test
    void theToken_isFetchedOnFirstSendWithBasicCredentials_andReused() {
        NotifyClient client = client();
        assertThat(tokensIssued).hasValue(0);

        SentNotification sent = client.send(notification());
        client.send(notification());

        assertThat(sent.seq()).isEqualTo(42);
        assertThat(sent.created()).isTrue();
        assertThat(tokensIssued).hasValue(1);
        assertThat(tokenAuthorizations).containsExactly("Basic " + Base64.getEncoder()
                .encodeToString("billing-service:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(sends).extracting(Call::authorization).containsOnly("Bearer token-1");
    }

    @Test
    void theToken_isRenewedShortlyBeforeItExpires() {
        MovableClock clock = new MovableClock();
        NotifyClient client = NotifyClient.builder(base).tokenSource(new FetchedToken.ClientCredentials(
                HttpClient.newHttpClient(), base, "billing-service", "s3cret", clock)).build();

        client.send(notification());
        clock.now = clock.now.plusSeconds(839); // expires_in 900: renewed in its last minute
        client.send(notification());
        clock.now = clock.now.plusSeconds(2);
        client.send(notification());

        assertThat(sends).extracting(Call::authorization).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    }

    @Test
    void a5xxAndA429_areRetriedWithTheSameIdempotencyKey_waitingRetryAfter() {
        answers.add(new Answer(503, "{\"status\":503,\"title\":\"Service Unavailable\"}", null));
        answers.add(new Answer(429, "{\"status\":429,\"title\":\"Too Many Requests\",\"quota\":\"company\"}", "3"));
        answers.add(new Answer(200, STORED, null));

        SentNotification sent = client().send(notification());

        assertThat(sent.created()).as("200: the key was known").isFalse();
        assertThat(sends).hasSize(3);
        assertThat(sends).extracting(c -> c.body().path("idempotency_key").asText()).doesNotContain("")
                .containsOnly(sends.get(0).body().path("idempotency_key").asText());
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aGivenKey_isTheOneSent_andTwoSendsWithoutOneGetTwoKeys() {
        NotifyClient client = client();
        client.send(notification().toBuilder().idempotencyKey("inv-1001").build());
        client.send(notification());
        client.send(notification());

        assertThat(sends).extracting(c -> c.body().path("idempotency_key").asText()).doesNotHaveDuplicates()
                .first().isEqualTo("inv-1001");
    }

    @Test
    void aSendWithSendAt_carriesIt_andA202IsTheScheduledSend() {
        answers.add(new Answer(202, """
                {"id":"7f0c2a8e-1111-4000-8000-000000000002","status":"scheduled","send_at":"2030-01-01T08:45:00Z",
                 "audience":{"type":"user","user_ids":["u1"]},"title":"t","type":"general","idempotency_key":"k"}""",
                null));
        java.time.Instant at = java.time.Instant.parse("2030-01-01T08:45:00Z");

        SentNotification sent = client().send(notification().toBuilder().sendAt(at).build());

        assertThat(sends.get(0).body().path("send_at").asText()).isEqualTo("2030-01-01T08:45:00Z");
        assertThat(sent.scheduled()).isTrue();
        assertThat(sent.created()).isFalse();
        assertThat(sent.id()).hasToString("7f0c2a8e-1111-4000-8000-000000000002");
        assertThat(sent.sendAt().toInstant()).isEqualTo(at);
        assertThat(client().send(notification()).scheduled()).as("a 201").isFalse();
    }

    @Test
    void findByExternalId_asksForTheEncodedId_andA404IsEmpty() {
        answers.add(new Answer(200, STORED.replace("\"new_field\":1", "\"external_id\":\"inv 7/31\""), null));
        answers.add(new Answer(404, "{\"status\":404,\"title\":\"Not Found\"}", null));
        NotifyClient client = client();

        assertThat(client.findByExternalId("inv 7/31")).get().satisfies(n -> {
            assertThat(n.externalId()).isEqualTo("inv 7/31");
            assertThat(n.created()).isFalse();
        });
        assertThat(client.findByExternalId("gone")).isEmpty();
        assertThat(paths).containsExactly("GET /api/notifications/external/inv%207%2F31",
                "GET /api/notifications/external/gone");
    }

    @Test
    void a401_renewsTheTokenOnce_andTriesAgain() {
        answers.add(new Answer(401, "{\"status\":401,\"title\":\"Unauthorized\"}", null));

        client().send(notification());

        assertThat(tokensIssued).hasValue(2);
        assertThat(sends).extracting(Call::authorization).containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(waits).isEmpty();
    }

    @Test
    void aRefusal_isThrownTyped_withoutRetrying() {
        answers.add(new Answer(400, "{\"status\":400,\"title\":\"Bad Request\",\"violations\":[{\"field\":\"title\","
                + "\"in\":\"body\",\"message\":\"must not be blank\"}]}", null));

        assertThatThrownBy(() -> client().send(notification())).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.violations()).extracting(ValidationException.Violation::field).containsExactly("title"));
        assertThat(sends).hasSize(1);
    }

    @Test
    void aQuotaWindowLongerThanMaxRetryAfter_isThrownAtOnce() {
        answers.add(new Answer(429, "{\"status\":429,\"title\":\"Too Many Requests\"}", "120"));

        assertThatThrownBy(() -> client().send(notification())).isInstanceOfSatisfying(QuotaExceededException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
        assertThat(sends).hasSize(1);
    }

    @Test
    void lasting5xx_isThrownAfterMaxAttempts_withBackoffGrowing() {
        for (int i = 0; i < 4; i++) {
            answers.add(new Answer(500, "{\"status\":500,\"title\":\"Internal Server Error\"}", null));
        }

        assertThatThrownBy(() -> client().send(notification())).isExactlyInstanceOf(NotifyException.class)
                .hasMessage("500 Internal Server Error");
        assertThat(sends).hasSize(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void noAnswer_isRetried_thenThrownAsAConnectionProblem() {
        server.stop(0);

        assertThatThrownBy(() -> client().send(notification())).isInstanceOf(NotifyConnectionException.class)
                .satisfies(e -> assertThat(((NotifyException) e).status()).isZero());
        assertThat(waits).hasSize(3);
    }

    @Test
    void aWrongClientSecret_isAnAuthenticationException() {
        server.removeContext("/api/auth/token");
        server.createContext("/api/auth/token", exchange -> respond(exchange, 401,
                "{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"invalid client credentials\"}", null));

        assertThatThrownBy(() -> client().send(notification())).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid client credentials");
        assertThat(sends).isEmpty();
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
