package io.notify.gateway.endpoint;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.notify.gateway.routing.SocketUser;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The last step of a socket's authentication, on the HTTP upgrade. Quarkus has verified the token
 * (RS256 signature, issuer, audience, expiry; any carrier) and {@code @Authenticated} has refused an
 * anonymous upgrade with 401 before this runs. Here the socket keeps only what it needs (user id, name,
 * company, roles, issue and expiry times: {@link SocketUser}), and the upgrade forgets the rest, the token included.
 *
 * <p>Why: websockets-next keeps, for the whole life of a connection authenticated on the upgrade, the
 * {@link SecurityIdentity} (the parsed JWT: raw token, claims JSON and map, credential) and the
 * upgrade's {@link RoutingContext} (its request, data and request-context state) — several KB per
 * idle socket. Clearing the identity from the routing context before the upgrade completes makes it
 * attach none. The socket then runs its callbacks without a {@code SecurityIdentity} (nothing in
 * them asks for one: the store is called with the gateway's token, acting for the socket's user), and the gateway closes it
 * on the token's expiry itself, as it did before.
 */
@ApplicationScoped
public class SocketAuthentication implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(SocketAuthentication.class);

    static final UserData.TypedKey<SocketUser> USER = new UserData.TypedKey<>("notify.user");
    /** websockets-next's token carrier in the subprotocol list ({@code quarkus-http-upgrade#Authorization#Bearer ...}). */
    private static final String TOKEN_SUBPROTOCOL_PREFIX = "quarkus-http-upgrade";
    /** What the handshake reads (Vert.x, Netty), and the forwarding headers Vert.x Web reads for the socket's address. */
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-proto", "x-forwarded-prefix");

    private final AccountChanges accounts;

    public SocketAuthentication(AccountChanges accounts) {
        this.accounts = accounts;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return NotificationSocket.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().map(identity -> {
            if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                return CheckResult.rejectUpgradeSync(401);
            }
            RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(identity);
            if (routing == null) {
                // without it the identity could not be dropped: fail the upgrade rather than hold it
                throw new IllegalStateException("The security identity carries no routing context");
            }
            SocketUser user = accounts.current(jwt);
            if (user == null) {
                return CheckResult.rejectUpgradeSync(401); // the account was disabled after the token was issued
            }
            context.userData().put(USER, user);
            forget(routing);
            return CheckResult.permitUpgradeSync();
        });
    }

    private static void forget(RoutingContext routing) {
        routing.userContext().clear();
        routing.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        keepHandshakeHeadersOnly(routing.request().headers());
    }

    /**
     * Vert.x keeps the upgrade request's headers for the connection's life and websockets-next a copy
     * of them: both keep only what the handshake still reads, and no token (the Authorization header
     * and the subprotocol entry that carried it are gone; the carrier subprotocol stays, so the
     * handshake answers exactly as before). Once the socket is open both are released as well
     * ({@link #releaseHandshakeHeaders}, and {@code NettyChannels} for Vert.x's): this keeps the token out of
     * them where that cannot be done.
     */
    static void keepHandshakeHeadersOnly(MultiMap headers) {
        List<String> offered = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String protocol : value.split(",")) {
                String p = protocol.trim();
                if (!p.isEmpty() && !p.regionMatches(true, 0, TOKEN_SUBPROTOCOL_PREFIX, 0, TOKEN_SUBPROTOCOL_PREFIX.length())) {
                    offered.add(p);
                }
            }
        }
        for (String name : List.copyOf(headers.names())) {
            if (!HANDSHAKE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.remove(name);
            }
        }
        headers.remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (!offered.isEmpty()) {
            headers.set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, String.join(", ", offered));
        }
    }

    /**
     * websockets-next copies the upgrade's remaining headers into the connection's {@link HandshakeRequest} and keeps
     * the copy for the socket's life (an immutable map, a list and a lower-cased name per header: about 600 bytes per
     * idle socket, 13% of what a bare Vert.x server holds per socket), though nothing reads it once the socket is
     * open (the subprotocol and the addresses are the socket's own). Called on open: the copy is replaced by an empty
     * map, so {@code handshakeRequest().headers()} is empty from then on. It is a final field of an internal class,
     * reached by reflection (native executables: {@code META-INF/native-image/.../reflect-config.json}); when a Quarkus
     * version moves it the sockets keep their copies, a warning says so once, and SocketRetentionTest names it.
     */
    static void releaseHandshakeHeaders(WebSocketConnection connection) {
        Field headers = HandshakeHeaders.FIELD;
        HandshakeRequest request = connection.handshakeRequest();
        if (headers == null || !headers.getDeclaringClass().isInstance(request)) {
            HandshakeHeaders.cannot(request == null ? "no handshake request" : "the handshake request is a " + request.getClass());
            return;
        }
        try {
            headers.set(request, Map.of());
        } catch (IllegalAccessException | RuntimeException e) {
            HandshakeHeaders.cannot(e.toString());
        }
    }

    /** websockets-next's {@code HandshakeRequestImpl.headers}, resolved on first use. */
    private static final class HandshakeHeaders {
        static final String CLASS = "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl$HandshakeRequestImpl";
        static final Field FIELD = resolve();
        private static volatile boolean warned;

        private static Field resolve() {
            try {
                Field field = Class.forName(CLASS, false, WebSocketConnection.class.getClassLoader()).getDeclaredField("headers");
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException e) {
                cannot(e.toString());
                return null;
            }
        }

        static void cannot(String why) {
            if (!warned) {
                warned = true;
                LOG.warnf("Sockets keep websockets-next's copy of their upgrade headers (about 600 bytes each): %s.headers "
                        + "cannot be released in this Quarkus version (%s)", CLASS, why);
            }
        }
    }
}
