package io.notify.gateway.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 * test. The fault tolerance settings for tests (short retry pauses) are in application.properties' %test
 * profile: SmallRye Fault Tolerance reads them when the application is built.
 */
public class StoreStandIn implements QuarkusTestResourceLifecycleManager {

    public static final int CONNECTIONS = 4;

    private static volatile Handler<HttpServerRequest> handler = request -> request.response().setStatusCode(503).end();
    private Vertx vertx;

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

    /** The store's answer to a preference load's body for users who mute nothing: each token's holder is its {@code sub}. */
    public static String nothingMuted(String loadBody) {
        JsonArray results = new JsonArray();
        for (Object token : new JsonObject(loadBody).getJsonArray("tokens")) {
            String payload = new String(Base64.getUrlDecoder().decode(token.toString().split("\\.")[1]), StandardCharsets.UTF_8);
            results.add(new JsonObject().put("user_id", new JsonObject(payload).getString("sub")).put("muted", new JsonArray()));
        }
        return new JsonObject().put("results", results).encode();
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> handler.handle(request))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return Map.of("quarkus.rest-client.notification-service.url", "http://127.0.0.1:" + server.actualPort(),
                    "quarkus.rest-client.notification-service.connection-pool-size", String.valueOf(CONNECTIONS));
        } catch (Exception e) {
            throw new IllegalStateException("The stand-in store did not start", e);
        }
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
