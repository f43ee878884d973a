package io.notify.gateway.client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.notify.infra.test.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A stand-in for notification-service that each test answers as it needs ({@link #answer}), with the
 * gateway's client pointed at it and a small pool (4 connections), so that the client's bounds show in a
 * test. It stands in for auth-service's token endpoint as well: the client credentials grant of the gateways' client
 * ({@code notify-gateway} with the secret generated here) gets {@link #gatewayToken()}, anything else a 401. The fault tolerance settings for tests (short retry pauses) are in application.properties' %test
 * profile: SmallRye Fault Tolerance reads them when the application is built.
 */
public class StoreStandIn implements QuarkusTestResourceLifecycleManager {

    public static final int CONNECTIONS = 4;

    private static volatile Handler<HttpServerRequest> handler = request -> request.response().setStatusCode(503).end();
    /** The gateways' client secret for this test JVM (never in git). */
    static final String SECRET = secret();
    private static final String GATEWAY_TOKEN = TestTokens.gatewayToken();
    /** The {@code Authorization} header of the gateways' client with that secret (HTTP Basic). */
    private static final String CREDENTIALS = "Basic " + Base64.getEncoder()
            .encodeToString(("notify-gateway:" + SECRET).getBytes(StandardCharsets.UTF_8));
    /** The {@code Authorization} header of each token request, in order. */
    private static final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private Vertx vertx;

    /** The token the stand-in's token endpoint gives the gateway. */
    public static String gatewayToken() {
        return GATEWAY_TOKEN;
    }

    /** How many token requests with the right credentials were made. */
    public static long tokensIssued() {
        return tokenRequests.stream().filter(CREDENTIALS::equals).count();
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** auth-service's {@code POST /api/auth/token}, for the gateways' client only. */
    private static void token(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        tokenRequests.add(String.valueOf(authorization));
        request.body().onSuccess(body -> {
            boolean granted = body.toString().contains("grant_type=client_credentials") && CREDENTIALS.equals(authorization);
            request.response().setStatusCode(granted ? 200 : 401).putHeader("Content-Type", "application/json")
                    .end(granted ? new JsonObject().put("access_token", GATEWAY_TOKEN).put("token_type", "bearer")
                            .put("expires_in", 900).encode() : "{\"error\":\"invalid_client\"}");
        });
    }

    /** How the store answers from now on. */
    public static void answer(Handler<HttpServerRequest> answer) {
        handler = answer;
    }

    /**
     * Answers a preference load ({@code POST /api/notifications/preferences/muted}) as the store would for users who
     * mute nothing; anything else gets {@code {}}.
     */
    public static void nothingMuted(HttpServerRequest request) {
        request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
                .end(request.path().endsWith("/preferences/muted") ? nothingMuted(body.toString()) : "{}"));
    }

    /** The store's answer to a preference load's body for users who mute nothing. */
    public static String nothingMuted(String loadBody) {
        JsonArray results = new JsonArray();
        for (Object user : new JsonObject(loadBody).getJsonArray("user_ids")) {
            results.add(new JsonObject().put("user_id", user).put("muted", new JsonArray()));
        }
        return new JsonObject().put("results", results).encode();
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                if (request.path().equals("/api/auth/token")) {
                    token(request);
                } else {
                    handler.handle(request);
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();
            return Map.of("quarkus.rest-client.notification-service.url", base,
                    "quarkus.rest-client.notification-service.connection-pool-size", String.valueOf(CONNECTIONS),
                    "notify.gateway.auth-url", base,
                    "quarkus.oidc-client.credentials.secret", SECRET);
        } catch (Exception e) {
            throw new IllegalStateException("The stand-in store did not start", e);
        }
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
