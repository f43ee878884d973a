package io.notify.bench.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.notify.infra.process.ParentWatcher;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The floor under the gateway's memory per socket, in the same run and with the gateway's JVM flags: a bare Vert.x
 * server of our own that accepts the load generators' sockets exactly as the gateway does (path {@code /api/ws}, the
 * token in the {@code bearer-token-carrier} subprotocol) and routes as the gateway must: each socket indexed by its
 * user and by its company, taken from the token's claims. What it keeps per socket is what routing needs and nothing
 * else: no framework, no verification, no security identity. {@code /q/health/ready} (any HTTP request) answers 200.
 *
 * <p>Argument: the port.
 */
public final class RoutingFloor {

    private static final String CARRIER = "bearer-token-carrier";
    private static final String PREFIX = "quarkus-http-upgrade#Authorization#Bearer ";

    private final Map<String, Set<ServerWebSocket>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<ServerWebSocket>> byCompany = new ConcurrentHashMap<>();

    private RoutingFloor() {
    }

    public static void main(String[] args) {
        ParentWatcher.exitWhenParentDies();
        new RoutingFloor().listen(Integer.parseInt(args[0]));
    }

    private void listen(int port) {
        Vertx.vertx().createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                .setWebSocketSubProtocols(java.util.List.of(CARRIER)))
                .webSocketHandler(this::accept)
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end("{}"))
                .listen()
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private void accept(ServerWebSocket socket) {
        JsonObject claims = claims(socket.headers().get("Sec-WebSocket-Protocol"));
        if (!socket.path().equals("/api/ws") || claims == null) {
            socket.reject(401);
            return;
        }
        String user = claims.getString("sub");
        String company = claims.getString("company", "");
        keepHandshakeHeadersOnly(socket.headers()); // as the gateway does
        index(byUser, user, socket);
        index(byCompany, company, socket);
        socket.closeHandler(v -> {
            unindex(byUser, user, socket);
            unindex(byCompany, company, socket);
        });
        socket.textMessageHandler(text -> {
            // the gateway answers a client's frames; the idle sockets measured here send none
        });
    }

    /**
     * What the gateway keeps of the upgrade request's headers (its SocketAuthentication): what the handshake, which
     * runs after this handler, still reads; the subprotocol entry that carried the token is dropped.
     */
    private static void keepHandshakeHeadersOnly(io.vertx.core.MultiMap headers) {
        for (String name : java.util.List.copyOf(headers.names())) {
            if (!HANDSHAKE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.remove(name);
            }
        }
        headers.set("Sec-WebSocket-Protocol", CARRIER);
    }

    private static final Set<String> HANDSHAKE_HEADERS = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol");

    /** The claims of the token carried in the subprotocol list, or null. */
    private static JsonObject claims(String protocols) {
        if (protocols == null) {
            return null;
        }
        for (String protocol : protocols.split(",")) {
            String decoded = URLDecoder.decode(protocol.trim(), StandardCharsets.UTF_8);
            if (decoded.startsWith(PREFIX)) {
                String[] parts = decoded.substring(PREFIX.length()).split("\\.");
                if (parts.length == 3) {
                    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
                }
            }
        }
        return null;
    }

    private static void index(Map<String, Set<ServerWebSocket>> index, String key, ServerWebSocket socket) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(socket);
    }

    private static void unindex(Map<String, Set<ServerWebSocket>> index, String key, ServerWebSocket socket) {
        index.computeIfPresent(key, (k, sockets) -> {
            sockets.remove(socket);
            return sockets.isEmpty() ? null : sockets;
        });
    }
}
