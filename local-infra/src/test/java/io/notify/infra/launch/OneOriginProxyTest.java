package io.notify.infra.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.notify.infra.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The local one-origin proxy routes like the Kubernetes Ingress, tells services the client's address, answers
 * what nothing serves and what is too large as the Ingress and the frontend's nginx do, and sends nginx's
 * browser security headers.
 */
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

    /** A built app: index.html and one hashed asset. */
    static Path builtApp(Path dist) throws Exception {
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>Notify</title>");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/index-abc123.js"), "console.log('app')");
        return dist;
    }

    static final String NOT_FOUND = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}";

    @Test
    void healthAndUnroutedApiPaths_areA404Problem_notTheApp(@TempDir Path dist) throws Exception {
        proxy = OneOriginProxy.start(Ports.freePort(), origin("auth"), origin("notification"),
                List.of(origin("gateway")), builtApp(dist));

        for (String path : List.of("/q", "/q/health", "/q/health/ready", "/q/metrics", "/api", "/api/unknown",
                "/api/notificationsx", "/favicon.png", "/assets/missing-1.js")) {
            HttpResponse<String> response = fetch(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("content-type")).as(path).hasValue("application/problem+json");
            assertThat(response.body()).as(path).isEqualTo(NOT_FOUND);
        }
        assertThat(fetch("/qr-codes").body()).as("a client route that merely starts with q").contains("<title>Notify");

        // behind the Ingress the frontend's nginx answers these paths, with the same problem
        assertThat(Files.readString(repo().resolve("frontend/nginx.conf"))).contains("location ~ ^/(q|api)(/|$)",
                "error_page 404 @not_found;", "default_type application/problem+json;", "return 404 '" + NOT_FOUND + "';");
    }

    /** An origin that reads the whole body and answers its size and the declared length; counts its requests. */
    int bodyOrigin(AtomicInteger requests) throws Exception {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(r -> {
                    requests.incrementAndGet();
                    r.body().onSuccess(b -> r.response()
                            .end("received " + b.length() + " content-length " + r.getHeader("content-length")));
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        origins.add(server);
        return server.actualPort();
    }

    HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                        .header("content-type", "application/json").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.BodyPublisher chunked(byte[] body) { // no declared length: sent chunked
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    @Test
    void aBodyOverTheIngressLimit_isA413Problem_declaredOrChunked_andNeverReachesTheService() throws Exception {
        AtomicInteger served = new AtomicInteger();
        int notification = bodyOrigin(served);
        proxy = OneOriginProxy.start(Ports.freePort(), origin("auth"), notification, List.of(origin("gateway")));
        int limit = (int) OneOriginProxy.MAX_BODY_BYTES;

        for (HttpRequest.BodyPublisher tooLarge : List.of(
                HttpRequest.BodyPublishers.ofByteArray(new byte[limit + 1]), chunked(new byte[limit + 1]),
                HttpRequest.BodyPublishers.ofByteArray(new byte[12 * 1024 * 1024]), chunked(new byte[12 * 1024 * 1024]))) {
            HttpResponse<String> response = post("/api/notifications", tooLarge);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(response.body()).startsWith("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,");
        }
        assertThat(served).hasValue(0);

        assertThat(post("/api/notifications", HttpRequest.BodyPublishers.ofByteArray(new byte[limit])).body())
                .isEqualTo("received " + limit + " content-length " + limit);
        assertThat(post("/api/notifications", chunked(new byte[limit])).body())
                .as("a chunked body within the limit is passed on whole, with its length")
                .isEqualTo("received " + limit + " content-length " + limit);
        assertThat(post("/api/notifications", chunked("{}".getBytes())).body()).isEqualTo("received 2 content-length 2");
    }

    @Test
    void theIngressLimitIsTheOneThisOriginApplies() throws Exception {
        String ingress = Files.readString(repo().resolve("k8s/base/ingress.yaml"));
        Matcher size = Pattern.compile("nginx\\.ingress\\.kubernetes\\.io/proxy-body-size: (\\d+)m").matcher(ingress);
        assertThat(size.find()).as("proxy-body-size in k8s/base/ingress.yaml").isTrue();
        assertThat(OneOriginProxy.MAX_BODY_BYTES).isEqualTo(Long.parseLong(size.group(1)) * 1024 * 1024);
    }

    static Path repo() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /**
     * The add_header lines of frontend/nginx.conf, name to value (Cache-Control's variable left out), the
     * Content-Security-Policy as its map gives it for {@code uri}.
     */
    static Map<String, String> nginxHeaders(String uri) throws Exception {
        String nginx = Files.readString(repo().resolve("frontend/nginx.conf"));
        Map<String, String> headers = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^\\s*add_header\\s+(\\S+)\\s+(?:\"([^\"]*)\"|(\\$notify_csp))\\s+always;")
                .matcher(nginx);
        while (line.find()) {
            headers.put(line.group(1), line.group(3) != null ? nginxCsp(nginx, uri) : line.group(2));
        }
        assertThat(nginx).as("add_header without always, or inside a location, would drop headers somewhere")
                .containsPattern("(?m)^    add_header Cache-Control \\$notify_cache_control always;$")
                .doesNotContainPattern("(?m)^ {8,}add_header");
        return headers;
    }

    /** The value frontend/nginx.conf's {@code map $uri $notify_csp} gives {@code uri} (its regexes in order, then default). */
    static String nginxCsp(String nginx, String uri) {
        Matcher map = Pattern.compile("(?s)map \\$uri \\$notify_csp \\{(.*?)\\n}").matcher(nginx);
        assertThat(map.find()).as("map $uri $notify_csp in frontend/nginx.conf").isTrue();
        Matcher entry = Pattern.compile("(?m)^\\s*(\"~([^\"]*)\"|default)\\s+\"([^\"]*)\";").matcher(map.group(1));
        while (entry.find()) {
            if (entry.group(2) == null || Pattern.compile(entry.group(2)).matcher(uri).find()) {
                return entry.group(3);
            }
        }
        throw new AssertionError("no CSP for " + uri + " in frontend/nginx.conf");
    }

    @Test
    void sendsTheBrowserSecurityHeadersOfTheFrontendsNginx_onTheApp_aClientRoute_anAsset_andA404(@TempDir Path dist)
            throws Exception {
        Map<String, String> nginx = nginxHeaders("/");
        assertThat(nginx).containsKeys("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy",
                "Permissions-Policy", "X-Content-Type-Options");
        assertThat(nginx.get("Content-Security-Policy")).contains("script-src 'self';", "object-src 'none'",
                "frame-ancestors 'none'", "base-uri 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(nginx).isEqualTo(OneOriginProxy.SECURITY_HEADERS);

        proxy = OneOriginProxy.start(Ports.freePort(), origin("auth"), origin("notification"),
                List.of(origin("gateway")), builtApp(dist));
        for (String path : List.of("/", "/preferences", "/assets/index-abc123.js", "/q/health", "/assets/gone.js")) {
            HttpResponse<String> response = fetch(path);
            nginx.forEach((name, value) -> assertThat(response.headers().allValues(name)).as(path + " " + name)
                    .containsExactly(value));
        }
    }

    /** An origin that answers "<name> <path and query>". */
    int uriOrigin(String name) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end(name + " " + r.uri()))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        origins.add(server);
        return server.actualPort();
    }

    @Test
    void servesTheApiDocsPagesWithTheirOwnCsp_andEachServicesDocument_whileTheRestOfQStaysClosed(@TempDir Path dist)
            throws Exception {
        builtApp(dist);
        Files.createDirectories(dist.resolve("docs"));
        Files.writeString(dist.resolve("docs/index.html"), "<!doctype html><title>Swagger UI</title>");
        Files.createDirectories(dist.resolve("redoc"));
        Files.writeString(dist.resolve("redoc/index.html"), "<!doctype html><title>ReDoc</title>");
        proxy = OneOriginProxy.start(Ports.freePort(), uriOrigin("auth"), uriOrigin("notification"),
                List.of(origin("gateway")), dist);

        assertThat(fetch("/docs/openapi/auth.json").body()).isEqualTo("auth /q/openapi?format=json");
        assertThat(fetch("/docs/openapi/notification.json").body()).isEqualTo("notification /q/openapi?format=json");

        String docsCsp = OneOriginProxy.DOCS_CONTENT_SECURITY_POLICY;
        for (String path : List.of("/docs", "/docs/", "/redoc", "/redoc/")) {
            HttpResponse<String> page = fetch(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).as(path)
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).as(path).contains(path.startsWith("/docs") ? "<title>Swagger UI" : "<title>ReDoc");
            assertThat(page.headers().allValues("Content-Security-Policy")).as(path).containsExactly(docsCsp);
            assertThat(nginxHeaders(path)).as("frontend/nginx.conf for " + path)
                    .containsEntry("Content-Security-Policy", docsCsp);
        }
        // the docs' CSP loosens styles and workers only: scripts stay this origin's files, no eval
        assertThat(docsCsp).contains("script-src 'self';", "style-src 'self' 'unsafe-inline';", "worker-src blob:;",
                "object-src 'none'", "frame-ancestors 'none'").doesNotContain("unsafe-eval", "script-src 'self' 'unsafe");
        assertThat(fetch("/").headers().allValues("Content-Security-Policy"))
                .containsExactly(OneOriginProxy.SECURITY_HEADERS.get("Content-Security-Policy"));
        assertThat(fetch("/documents").headers().allValues("Content-Security-Policy")).as("a route that starts with doc")
                .containsExactly(OneOriginProxy.SECURITY_HEADERS.get("Content-Security-Policy"));

        for (String path : List.of("/q/openapi", "/q/openapi?format=json", "/q/swagger-ui", "/q/health",
                "/docs/openapi/gateway.json", "/docs/openapi/auth.yaml")) {
            HttpResponse<String> response = fetch(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).isEqualTo(NOT_FOUND);
        }
    }
}
