package io.notify.infra.launch;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
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
 * to the gateways in turn, and everything else to the frontend once it exists.
 */
public final class OneOriginProxy implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;

    private OneOriginProxy(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static OneOriginProxy start(int port, int authPort, int notificationPort, List<Integer> gatewayPorts) {
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
                    .requestHandler(request -> route(request, auth, notifications, gateways))
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new OneOriginProxy(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void route(HttpServerRequest request, HttpProxy auth, HttpProxy notifications, HttpProxy gateways) {
        String path = request.path();
        // the edge: what the client claims is replaced by the address it connects from (login throttling)
        request.headers().set("X-Forwarded-For", request.remoteAddress().hostAddress());
        if (under(path, "/api/auth") || path.equals("/.well-known/jwks.json")) {
            auth.handle(request);
        } else if (under(path, "/api/notifications") || under(path, "/api/broadcast")) {
            notifications.handle(request);
        } else if (under(path, "/api/ws")) {
            gateways.handle(request);
        } else if (path.equals("/")) {
            request.response().putHeader("content-type", "text/plain; charset=utf-8").end("""
                    Notify is running. The dashboard arrives with the frontend module.
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
