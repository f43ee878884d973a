package io.notify.infra.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * The single origin the browser and curl see locally, routed exactly as the Kubernetes Ingress
 * routes it: {@code /api/auth} (and the well-known JWKS) to auth-service, {@code /api/notifications}
 * and {@code /api/broadcast} to notification-service, {@code /api/ws} (WebSocket upgrade included)
 * to the gateways in turn, and everything else to the built frontend ({@code frontend/dist}) as the
 * Kubernetes frontend's nginx serves it: files as they are, client-side routes falling back to
 * {@code index.html}.
 */
public final class OneOriginProxy implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;

    private OneOriginProxy(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static OneOriginProxy start(int port, int authPort, int notificationPort, List<Integer> gatewayPorts) {
        return start(port, authPort, notificationPort, gatewayPorts, null);
    }

    /** As above, also serving the built frontend in {@code staticRoot} (null: the API only). */
    public static OneOriginProxy start(int port, int authPort, int notificationPort, List<Integer> gatewayPorts,
            Path staticRoot) {
        StaticFiles frontend = staticRoot == null ? null : new StaticFiles(staticRoot.toAbsolutePath().normalize());
        Vertx vertx = Vertx.vertx();
        var client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(200).setKeepAlive(true));
        ProxyOptions options = new ProxyOptions().setSupportWebSocket(true);
        HttpProxy auth = HttpProxy.reverseProxy(options, client).origin(authPort, "127.0.0.1");
        HttpProxy notifications = HttpProxy.reverseProxy(options, client).origin(notificationPort, "127.0.0.1");
        AtomicInteger next = new AtomicInteger();
        HttpProxy gateways = HttpProxy.reverseProxy(options, client).originSelector(request -> Future.succeededFuture(
                SocketAddress.inetSocketAddress(
                        gatewayPorts.get(Math.floorMod(next.getAndIncrement(), gatewayPorts.size())), "127.0.0.1")));
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(request -> route(request, auth, notifications, gateways, frontend))
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new OneOriginProxy(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void route(HttpServerRequest request, HttpProxy auth, HttpProxy notifications, HttpProxy gateways,
            StaticFiles frontend) {
        String path = request.path();
        // the edge: what the client claims is replaced by the address it connects from (login throttling)
        request.headers().set("X-Forwarded-For", request.remoteAddress().hostAddress());
        if (under(path, "/api/auth") || path.equals("/.well-known/jwks.json")) {
            auth.handle(request);
        } else if (under(path, "/api/notifications") || under(path, "/api/broadcast")) {
            notifications.handle(request);
        } else if (under(path, "/api/ws")) {
            gateways.handle(request);
        } else if (!under(path, "/api") && frontend != null && frontend.built()) {
            frontend.serve(request);
        } else if (path.equals("/")) {
            request.response().putHeader("content-type", "text/plain; charset=utf-8").end("""
                    Notify is running. The dashboard is not built: ./mvnw -pl frontend package (or ./run-local.sh).
                      POST /api/auth/login            log in (admin/wkwkwk, user1/wkwkwk, user2/password2)
                      GET  /api/notifications         your inbox (Authorization: Bearer <token>)
                      GET  /api/notifications/unread-count
                      POST /api/notifications         send (admin; users to their own company)
                      POST /api/broadcast/company/{c} the seed's broadcast envelope
                      WS   /api/ws                    live notifications
                    """);
        } else {
            request.response().setStatusCode(404)
                    .putHeader("content-type", "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");
        }
    }

    /**
     * The built single-page app. Hashed assets are cached for good; everything else (index.html above
     * all) is revalidated on every load, so a rebuild is picked up by the next reload.
     */
    static final class StaticFiles {
        private final Path root;

        StaticFiles(Path root) {
            this.root = root;
        }

        boolean built() {
            return Files.isRegularFile(root.resolve("index.html"));
        }

        void serve(HttpServerRequest request) {
            var response = request.response();
            if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
                response.setStatusCode(405).putHeader("allow", "GET, HEAD").end();
                return;
            }
            Path file = root.resolve(request.path().substring(1)).normalize();
            if (!file.startsWith(root)) { // a path climbing out of the root (/../..) gets nothing
                response.setStatusCode(404).end();
                return;
            }
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!Files.isRegularFile(file)) {
                String last = file.getFileName() == null ? "" : file.getFileName().toString();
                if (last.contains(".")) { // a missing asset is a 404, not the app
                    response.setStatusCode(404).putHeader("content-type", "text/plain").end("Not Found");
                    return;
                }
                file = root.resolve("index.html"); // a client-side route: the app renders it
            }
            boolean hashed = root.relativize(file).startsWith("assets");
            response.putHeader("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache")
                    .putHeader("x-content-type-options", "nosniff");
            if (request.method() == HttpMethod.HEAD) {
                response.end();
            } else {
                response.sendFile(file.toString());
            }
        }
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
