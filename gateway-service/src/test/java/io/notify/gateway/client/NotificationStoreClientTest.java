package io.notify.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * The gateway's calls to notification-service: each carries the socket user's token and returns the
 * store's answer, and a burst of calls (thousands of sockets opening at once, each loading its
 * user's preferences) shares a bounded set of connections instead of opening one per call.
 */
@QuarkusTest
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class NotificationStoreClientTest {

    static final int CONNECTIONS = StoreStandIn.CONNECTIONS;

    final Map<String, String> seenTokens = new ConcurrentHashMap<>();
    /** The connections the store served this test's calls on. */
    final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    /** Token -> how many of its calls the store answers 503 before answering (99: always 403). */
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
    final Map<String, Integer> calls = new ConcurrentHashMap<>();
    /** Requests with a {@code held-} token, not answered until the test answers them. */
    final List<io.vertx.core.http.HttpServerRequest> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Inject
    @RestClient
    NotificationStoreClient client;

    @Inject
    Vertx vertx;

    @BeforeEach
    void startStore() {
        StoreStandIn.answer(request -> {
            connections.add(request.connection());
            String id = request.getParam("cursor");
            if (String.valueOf(request.getHeader("Authorization")).startsWith("Bearer held-")) {
                held.add(request);
                return;
            }
            Integer failFirst = failures.get(request.getHeader("Authorization"));
            if (failFirst != null && calls.merge(request.getHeader("Authorization"), 1, Integer::sum) <= failFirst) {
                request.response().setStatusCode(failFirst == 99 ? 403 : 503).end();
                return;
            }
            seenTokens.put(id == null ? request.path() : id, String.valueOf(request.getHeader("Authorization")));
            // answer a little later, so that the burst's calls overlap
            Vertx.currentContext().owner().setTimer(5, t -> request.response().putHeader("Content-Type", "application/json")
                    .end("{\"path\":\"" + request.path() + "\",\"method\":\"" + request.method() + "\"}"));
        });
    }

    @AfterEach
    void answerHeld() {
        held.forEach(request -> request.response().end("{}"));
    }

    @Test
    void aCall_carriesTheUsersToken_andReturnsTheStoresAnswer() throws Exception {
        Response answer = client.markRead("Bearer token-of-alice", "42").toCompletableFuture().get(10, TimeUnit.SECONDS);
        JsonNode body = new ObjectMapper().readTree(answer.readEntity(String.class));
        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(body.path("path").asText()).isEqualTo("/api/notifications/42/read");
        assertThat(body.path("method").asText()).isEqualTo("POST");
        assertThat(seenTokens).containsEntry("/api/notifications/42/read", "Bearer token-of-alice");
    }

    @Test
    void aBurstOfCalls_isServedInFull_overABoundedSetOfConnections() throws Exception {
        int calls = 500;
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(client.list("Bearer token-" + i, List.of(String.valueOf(i)), null, null, null, null, null)
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(answers).allMatch(a -> a.join().getStatus() == 200);
        assertThat(seenTokens).hasSize(calls).containsEntry("7", "Bearer token-7");
        assertThat(connections.size()).isBetween(1, CONNECTIONS);
    }

    @Test
    void preferences_areAskedAgain_whileTheStoreIsBusy() throws Exception {
        failures.put("Bearer busy", 2);
        JsonNode preferences = client.preferences("Bearer busy").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(preferences.path("path").asText()).isEqualTo("/api/notifications/preferences");
        assertThat(calls).containsEntry("Bearer busy", 3);
    }

    @Test
    void preferences_giveUp_afterThreeBusyAnswers_andAtOnceOnARefusal() {
        failures.put("Bearer down", 5);
        failures.put("Bearer refused", 99);
        assertThatThrownBy(() -> onEventLoop(() -> client.preferences("Bearer down")).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("503");
        assertThatThrownBy(() -> onEventLoop(() -> client.preferences("Bearer refused")).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("403");
        assertThat(calls).containsEntry("Bearer down", 3).containsEntry("Bearer refused", 1);
    }

    @Test
    void aStormOfPreferenceLoads_takesHalfThePoolAtMost_soSocketActionsAreAnsweredMeanwhile_andEveryLoadIsServed()
            throws Exception {
        List<CompletableFuture<JsonNode>> loads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int user = i;
            loads.add(onEventLoop(() -> client.preferences("Bearer held-" + user)));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(held::size, n -> n == CONNECTIONS / 2);
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(300)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> held.size() == CONNECTIONS / 2);

        Response action = onEventLoop(() -> client.markRead("Bearer token-of-alice", "42")).get(10, TimeUnit.SECONDS);
        assertThat(action.getStatus() == 200).as("answered while 18 loads wait their turn").isTrue();

        // the store answers: each answer lets the next waiting load go, none of them times out
        for (int answered = 0; answered < loads.size(); answered++) {
            int expected = answered + 1;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> held.size() >= expected);
            held.get(answered).response().putHeader("Content-Type", "application/json").end("{\"types\":{}}");
        }
        CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(held).hasSize(20);
        held.clear();
    }

    /** Calls as the gateway does, from an event loop (sockets load their preferences in their callbacks). */
    private <T> CompletableFuture<T> onEventLoop(java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.runOnContext(v -> call.get().whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }));
        return result;
    }
}
