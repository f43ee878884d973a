package io.notify.infra.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The single origin the browser and curl see locally, routed exactly as the Kubernetes Ingress
 * routes it: {@code /api/auth} (and the well-known JWKS) to auth-service, {@code /api/notifications},
 * {@code /api/broadcast} and {@code /api/topics} to notification-service, {@code /api/ws} (WebSocket upgrade included)
 * to the gateways in turn, and everything else to the built frontend ({@code frontend/dist}) as the
 * Kubernetes frontend's nginx serves it: files as they are, client-side routes falling back to
 * {@code index.html}.
 *
 * <p>What the Ingress does not route to a service is not the app either: {@code /q/...} (the services'
 * health and metrics stay inside the cluster) and an unrouted {@code /api/...} answer a 404 problem,
 * as frontend/nginx.conf answers them behind the Ingress. A request body over the Ingress' limit
 * ({@code proxy-body-size} in k8s/base/ingress.yaml) gets a 413 problem before any of it reaches a
 * service, declared or chunked. Everything answered here (not by a service) carries the browser
 * security headers that frontend/nginx.conf sends.
 *
 * <p>The API docs: {@code /docs} (Swagger UI) and {@code /redoc} (ReDoc) are pages of the built frontend
 * ({@code frontend/docs-site}), sent with {@link #DOCS_CONTENT_SECURITY_POLICY}; the two documents they show are
 * {@code /docs/openapi/auth.json} and {@code /docs/openapi/notification.json}, each service's
 * {@code /q/openapi?format=json} (as the Ingress rewrites them), the only {@code /q} answers this origin gives.
 */
public final class OneOriginProxy implements AutoCloseable {

    /** The Ingress' {@code proxy-body-size: 1m} (OneOriginProxyTest reads it there). */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    /**
     * The browser security headers of the dashboard, exactly those of frontend/nginx.conf (OneOriginProxyTest
     * compares them). The built app needs no inline script or style: its scripts and CSS are files of this
     * origin; {@code connect-src 'self'} also allows this origin's ws:/wss: (CSP Level 3), the live socket.
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                    + "frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");

    /**
     * The CSP of the API docs pages ({@code /docs}, {@code /redoc}; frontend/nginx.conf maps the same): the dashboard's,
     * with only what Swagger UI and ReDoc need on top (each checked in Chromium: without it the page reports a
     * violation): {@code style-src 'unsafe-inline'}, both apply inline styles (ReDoc's styled-components injects
     * {@code <style>} elements); {@code worker-src blob:}, ReDoc's search runs in a worker made from a blob. Their
     * icons are {@code data:} SVGs, which the dashboard's {@code img-src} already allows. Scripts stay {@code 'self'}
     * only (no inline script, no eval).
     */
    static final String DOCS_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "worker-src blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** The services' OpenAPI documents on this origin, each a rewrite to the service's own {@code /q/openapi}. */
    static final String AUTH_DOCUMENT = "/docs/openapi/auth.json";
    static final String NOTIFICATION_DOCUMENT = "/docs/openapi/notification.json";
    static final String SERVICE_DOCUMENT = "/q/openapi?format=json";

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
        BodyLimit bodyLimit = new BodyLimit();
        auth.addInterceptor(bodyLimit);
        notifications.addInterceptor(bodyLimit);
        ProxyInterceptor toDocument = new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                context.request().setURI(SERVICE_DOCUMENT);
                return context.sendRequest();
            }
        };
        HttpProxy authDocument = HttpProxy.reverseProxy(options, client).origin(authPort, "127.0.0.1")
                .addInterceptor(toDocument);
        HttpProxy notificationDocument = HttpProxy.reverseProxy(options, client).origin(notificationPort, "127.0.0.1")
                .addInterceptor(toDocument);
        AtomicInteger next = new AtomicInteger();
        HttpProxy gateways = HttpProxy.reverseProxy(options, client).originSelector(request -> Future.succeededFuture(
                SocketAddress.inetSocketAddress(
                        gatewayPorts.get(Math.floorMod(next.getAndIncrement(), gatewayPorts.size())), "127.0.0.1")));
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                    // HTTP/1.1 only, as the Ingress speaks it without TLS: a body's length is declared or chunked
                    .setHttp2ClearTextEnabled(false))
                    .requestHandler(request -> {
                        String path = request.path();
                        if (path.equals(AUTH_DOCUMENT)) {
                            authDocument.handle(request);
                        } else if (path.equals(NOTIFICATION_DOCUMENT)) {
                            notificationDocument.handle(request);
                        } else {
                            route(request, auth, notifications, gateways, frontend);
                        }
                    })
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
        } else if (under(path, "/api/notifications") || under(path, "/api/broadcast") || under(path, "/api/topics")) {
            notifications.handle(request);
        } else if (under(path, "/api/ws")) {
            gateways.handle(request);
        } else if (under(path, "/api") || under(path, "/q")) {
            notFound(request.response());
        } else if (frontend != null && frontend.built()) {
            frontend.serve(request);
        } else if (path.equals("/")) {
            withSecurityHeaders(request.response()).putHeader("content-type", "text/plain; charset=utf-8").end("""
                    Notify is running. The dashboard is not built: ./mvnw -pl frontend package (or ./run-local.sh).
                      POST /api/auth/login            log in (admin/wkwkwk, user1/wkwkwk, user2/password2)
                      GET  /api/notifications         your inbox (Authorization: Bearer <token>)
                      GET  /api/notifications/unread-count
                      POST /api/notifications         send (admin; users to their own company)
                      POST /api/broadcast/company/{c} the seed's broadcast envelope
                      WS   /api/ws                    live notifications
                    """);
        } else {
            notFound(request.response());
        }
    }

    /** The 404 problem, the body frontend/nginx.conf answers too. */
    static void notFound(HttpServerResponse response) {
        withSecurityHeaders(response).setStatusCode(404).putHeader("content-type", "application/problem+json")
                .end(problem(404, "Not Found", null));
    }

    static String problem(int status, String title, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + (detail == null ? "" : ",\"detail\":\"" + detail + "\"") + "}";
    }

    private static HttpServerResponse withSecurityHeaders(HttpServerResponse response) {
        SECURITY_HEADERS.forEach(response::putHeader);
        return response;
    }

    /** The security headers, with the docs pages' CSP under {@code /docs} and {@code /redoc}. */
    private static HttpServerResponse withSecurityHeaders(HttpServerRequest request) {
        HttpServerResponse response = withSecurityHeaders(request.response());
        if (docsPage(request.path())) {
            response.putHeader("Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY);
        }
        return response;
    }

    static boolean docsPage(String path) {
        return under(path, "/docs") || under(path, "/redoc");
    }

    /**
     * Over-size bodies answered here with a 413 problem, as the Ingress answers them. Passed on, a service
     * would answer its own 413 and close the connection while the body still streams in, which the proxy
     * reports as an empty 502. A chunked body (no declared length) is read up to the limit first and then
     * passed on with its length.
     */
    static final class BodyLimit implements ProxyInterceptor {
        /** How long the rest of an over-size body is read (and dropped) at most before the connection is closed. */
        static final long LINGER_MS = 5_000;

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            Body body = context.request().getBody();
            if (body == null || body.length() >= 0 || !chunked(context.request().proxiedRequest())) {
                return body != null && body.length() > MAX_BODY_BYTES ? tooLarge(context, body.stream())
                        : context.sendRequest();
            }
            Promise<ProxyResponse> answer = Promise.promise();
            Buffer read = Buffer.buffer();
            ReadStream<Buffer> stream = body.stream();
            stream.handler(chunk -> {
                if (read.length() + chunk.length() > MAX_BODY_BYTES) {
                    stream.pause(); // the rest is dropped once the 413 is out
                    tooLarge(context, stream).onComplete(answer);
                } else {
                    read.appendBuffer(chunk);
                }
            });
            stream.exceptionHandler(answer::tryFail);
            stream.endHandler(end -> {
                context.request().setBody(Body.body(read));
                context.sendRequest().onComplete(answer);
            });
            stream.resume();
            return answer.future();
        }

        private static boolean chunked(HttpServerRequest request) {
            String encoding = request.getHeader("transfer-encoding");
            return encoding != null && encoding.toLowerCase().contains("chunked");
        }

        /**
         * The 413, then the connection closed: the unread body would be taken for the next request. Closed only once
         * the client has sent the rest (read and dropped, never passed on) or after {@link #LINGER_MS}, as nginx's
         * lingering close does: closing while the client still writes resets the connection, and a reset can discard
         * the 413 before the client reads it.
         */
        private static Future<ProxyResponse> tooLarge(ProxyContext context, ReadStream<Buffer> rest) {
            HttpServerRequest client = context.request().proxiedRequest();
            Vertx vertx = Vertx.currentContext().owner();
            client.response().endHandler(v -> {
                long timer = vertx.setTimer(LINGER_MS, t -> client.connection().close());
                rest.exceptionHandler(e -> client.connection().close());
                rest.endHandler(end -> {
                    vertx.cancelTimer(timer);
                    client.connection().close();
                });
                rest.handler(dropped -> { });
                rest.resume();
            });
            return Future.succeededFuture(context.request().response().setStatusCode(413)
                    .putHeader("content-type", "application/problem+json")
                    .setBody(Body.body(Buffer.buffer(problem(413, "Content Too Large",
                            "The request body is over " + MAX_BODY_BYTES + " bytes, the limit of this origin.")))));
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
                withSecurityHeaders(request).setStatusCode(405).putHeader("allow", "GET, HEAD").end();
                return;
            }
            Path file = root.resolve(request.path().substring(1)).normalize();
            if (!file.startsWith(root)) { // a path climbing out of the root (/../..) gets nothing
                notFound(response);
                return;
            }
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!Files.isRegularFile(file)) {
                String last = file.getFileName() == null ? "" : file.getFileName().toString();
                if (last.contains(".")) { // a missing asset is a 404, not the app
                    notFound(response);
                    return;
                }
                file = root.resolve("index.html"); // a client-side route: the app renders it
            }
            boolean hashed = root.relativize(file).startsWith("assets");
            withSecurityHeaders(request)
                    .putHeader("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
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
