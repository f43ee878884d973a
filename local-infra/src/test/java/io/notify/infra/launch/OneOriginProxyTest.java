package io.notify.infra.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.notify.infra.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** The local one-origin proxy routes like the Kubernetes Ingress and tells services the client's address. */
class OneOriginProxyTest {

    final Vertx vertx = Vertx.vertx();
    final List<HttpServer> origins = new ArrayList<>();
    OneOriginProxy proxy;

    /** An origin that answers "<name> <path> <X-Forwarded-For>". */
    int origin(String name) throws Exception {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(r -> r.response().end(name + " " + r.path() + " " + r.getHeader("X-Forwarded-For")))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        origins.add(server);
        return server.actualPort();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        vertx.close();
    }

    String get(String path, String spoofedForwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path));
        if (spoofedForwardedFor != null) {
            request.header("X-Forwarded-For", spoofedForwardedFor);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void routesEachPrefix_andReplacesAClaimedClientAddressWithTheRealOne() throws Exception {
        proxy = OneOriginProxy.start(Ports.freePort(), origin("auth"), origin("notification"),
                List.of(origin("gateway-a"), origin("gateway-b")));

        assertThat(get("/api/auth/login", "6.6.6.6")).isEqualTo("auth /api/auth/login 127.0.0.1");
        assertThat(get("/.well-known/jwks.json", null)).startsWith("auth ");
        assertThat(get("/api/notifications/unread-count", null)).startsWith("notification ");
        assertThat(get("/api/broadcast/company/company_a", null)).startsWith("notification ");
        assertThat(List.of(get("/api/ws", null), get("/api/ws", null)))
                .anyMatch(b -> b.startsWith("gateway-a ")).anyMatch(b -> b.startsWith("gateway-b "));
        assertThat(get("/api/authx", null)).contains("Not Found");
    }

    HttpResponse<String> fetch(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheBuiltFrontend_clientRoutesFallBackToTheApp_hashedAssetsCachedForGood(@TempDir Path dist)
            throws Exception {
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>Notify</title>");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/index-abc123.js"), "console.log('app')");
        Files.writeString(dist.resolve("secret.txt"), "outside"); // only to check that ../ cannot climb
        Path served = Files.createDirectories(dist.resolve("site"));
        Files.move(dist.resolve("index.html"), served.resolve("index.html"));
        Files.move(dist.resolve("assets"), served.resolve("assets"));
        proxy = OneOriginProxy.start(Ports.freePort(), origin("auth"), origin("notification"),
                List.of(origin("gateway")), served);

        HttpResponse<String> root = fetch("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("<title>Notify</title>");
        assertThat(root.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(root.headers().firstValue("cache-control")).hasValue("no-cache");

        HttpResponse<String> route = fetch("/preferences");
        assertThat(route.statusCode()).isEqualTo(200);
        assertThat(route.body()).contains("<title>Notify</title>");

        HttpResponse<String> asset = fetch("/assets/index-abc123.js");
        assertThat(asset.body()).isEqualTo("console.log('app')");
        assertThat(asset.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");

        assertThat(fetch("/assets/missing-1.js").statusCode()).isEqualTo(404);
        assertThat(fetch("/../secret.txt").body()).doesNotContain("outside");
        assertThat(fetch("/api/notifications").body()).startsWith("notification "); // the API still wins
        assertThat(fetch("/api/unknown").statusCode()).isEqualTo(404); // never the app for an API path
    }
}
