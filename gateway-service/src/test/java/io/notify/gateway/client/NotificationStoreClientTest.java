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
 * The gateway's calls to notification-service: each socket action carries the gateway's own token and the claims of
 * the socket user's token in {@code Notify-Acting-For}, and returns the store's answer; a burst of calls (thousands of
 * sockets acting at once) shares a bounded set of connections instead of opening one per call. Preference loads carry
 * the gateway's token alone.
 */
@QuarkusTest
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class NotificationStoreClientTest {

    static final int CONNECTIONS = StoreStandIn.CONNECTIONS;
    static final String MUTES_DIGEST = "{\"results\":[{\"user_id\":\"u1\",\"muted\":[\"digest\"]}]}";

    final Map<String, String> seenTokens = new ConcurrentHashMap<>();
    /** The connections the store served this test's calls on. */
    final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    /** A preference load's first user -> how many of its calls the store answers 503 before answering (99: always 403). */
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
    final Map<String, Integer> calls = new ConcurrentHashMap<>();

    @Inject
    @RestClient
    NotificationStoreClient client;

    @Inject
    @RestClient
    PreferenceLoads loads;

    @Inject
    Vertx vertx;

    @BeforeEach
    void startStore() {
        StoreStandIn.answer(request -> request.body().onSuccess(body -> {
            connections.add(request.connection());
            String id = request.getParam("cursor");
            if (request.path().endsWith("/preferences/muted")) {
                // a preference load: keyed by its first user
                id = new io.vertx.core.json.JsonObject(body).getJsonArray("user_ids").getString(0);
                Integer failFirst = failures.get(id);
                if (failFirst != null && calls.merge(id, 1, Integer::sum) <= failFirst) {
                    request.response().setStatusCode(failFirst == 99 ? 403 : 503).end();
                    return;
                }
            }
            String actingFor = request.getHeader(NotificationStoreClient.ACTING_FOR);
            seenTokens.put(id == null ? request.path() : id, request.getHeader("Authorization")
                    + (actingFor == null ? "" : " acting for " + actingFor));
            // answer a little later, so that the burst's calls overlap
            Vertx.currentContext().owner().setTimer(5, t -> request.response().putHeader("Content-Type", "application/json")
                    .end(request.path().endsWith("/preferences/muted") ? MUTES_DIGEST
                            : "{\"path\":\"" + request.path() + "\",\"method\":\"" + request.method() + "\"}"));
        }));
    }

    @Test
    void aCall_carriesTheGatewaysToken_actingForTheUser_andReturnsTheStoresAnswer() throws Exception {
        Response answer = client.markRead("{\"sub\":\"alice\"}", "42").toCompletableFuture().get(10, TimeUnit.SECONDS);
        JsonNode body = new ObjectMapper().readTree(answer.readEntity(String.class));
        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(body.path("path").asText()).isEqualTo("/api/notifications/42/read");
        assertThat(body.path("method").asText()).isEqualTo("POST");
        assertThat(seenTokens).containsEntry("/api/notifications/42/read",
                "Bearer " + StoreStandIn.gatewayToken() + " acting for {\"sub\":\"alice\"}");
    }

    @Test
    void aBurstOfCalls_isServedInFull_overABoundedSetOfConnections() throws Exception {
        int calls = 500;
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(client.list("user-" + i, List.of(String.valueOf(i)), null, null, null, null, null, null)
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(answers).allMatch(a -> a.join().getStatus() == 200);
        assertThat(seenTokens).hasSize(calls).containsEntry("7", "Bearer " + StoreStandIn.gatewayToken() + " acting for user-7");
        assertThat(connections.size()).isBetween(1, CONNECTIONS);
    }

    @Test
    void mutedTypes_carryTheGatewaysOwnToken_fromAuthServicesTokenEndpoint_notAUsersToken() throws Exception {
        PreferenceLoads.MutedTypesAnswer answer = onEventLoop(() -> loads.mutedTypes(batch("u1"))).get(10, TimeUnit.SECONDS);
        assertThat(answer.results()).containsExactly(new PreferenceLoads.MutedTypesResult("u1", List.of("digest")));
        long issued = StoreStandIn.tokensIssued();
        onEventLoop(() -> loads.mutedTypes(batch("u2"))).get(10, TimeUnit.SECONDS);

        assertThat(seenTokens).containsEntry("u1", "Bearer " + StoreStandIn.gatewayToken())
                .containsEntry("u2", "Bearer " + StoreStandIn.gatewayToken());
        assertThat(issued).as("asked for with the gateways' client id and secret").isPositive();
        assertThat(StoreStandIn.tokensIssued()).as("kept while valid").isEqualTo(issued);
    }

    @Test
    void mutedTypes_areAskedAgain_whileTheStoreIsBusy() throws Exception {
        failures.put("busy", 2);
        PreferenceLoads.MutedTypesAnswer answer = onEventLoop(() -> loads.mutedTypes(batch("busy"))).get(10, TimeUnit.SECONDS);
        assertThat(answer.results()).containsExactly(new PreferenceLoads.MutedTypesResult("u1", List.of("digest")));
        assertThat(calls).containsEntry("busy", 3);
    }

    @Test
    void mutedTypes_fail_afterThreeFailedAnswers() {
        failures.put("down", 5);
        failures.put("refused", 99);
        assertThatThrownBy(() -> onEventLoop(() -> loads.mutedTypes(batch("down"))).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("503");
        assertThatThrownBy(() -> onEventLoop(() -> loads.mutedTypes(batch("refused"))).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("403");
        assertThat(calls).containsEntry("down", 3).containsEntry("refused", 3);
    }

    private static PreferenceLoads.MutedTypesRequest batch(String... users) {
        return new PreferenceLoads.MutedTypesRequest(List.of(users));
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
