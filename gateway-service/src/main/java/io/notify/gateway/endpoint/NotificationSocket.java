package io.notify.gateway.endpoint;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.GatewayConfig;
import io.notify.gateway.routing.ConnectionIndex;
import io.notify.gateway.routing.MutedTypes;
import io.notify.gateway.routing.Session;
import io.notify.gateway.routing.SocketUser;
import io.notify.gateway.transport.FrameTransport;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /api/ws}: authenticated on the HTTP upgrade (401 without a valid token; what the socket
 * keeps of it: {@link SocketAuthentication}), registered in the routing index on open and removed
 * on close. Every inbound frame is rate limited and gets a reply or an {@code error} frame, never a
 * crash; the socket is closed with 1008 when its token expires ({@link SocketLifecycle}) unless the
 * client sent a fresh one with {@code refresh_token}.
 *
 * <p>Every callback runs on the socket's own event loop (nothing in them blocks: store calls are
 * asynchronous and a refresh's token verification is handed to a worker), so a socket's frames are
 * handled one at a time by construction; websockets-next's SERIAL mode would add a message queue
 * (about 1 KB) to every idle socket for the same guarantee.
 */
@Authenticated
@WebSocket(path = "/api/ws", endpointId = NotificationSocket.ENDPOINT_ID, inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class NotificationSocket {

    private static final Logger LOG = Logger.getLogger(NotificationSocket.class);
    static final String ENDPOINT_ID = "notify-socket";
    static final short POLICY_VIOLATION = 1008;
    static final short UNSUPPORTED_DATA = 1003;
    static final short MESSAGE_TOO_BIG = 1009;
    static final short INTERNAL_ERROR = 1011;

    private final ConnectionIndex registry;
    private final MutedTypes mutedTypes;
    private final SocketActions actions;
    private final FrameTransport out;
    private final ReplyFrameEncoder frames;
    private final ObjectMapper json;
    private final JWTParser tokens;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final InboundRate inboundRate;
    private final AccountChanges accounts;

    public NotificationSocket(ConnectionIndex registry, MutedTypes mutedTypes, SocketActions actions, FrameTransport out,
            ReplyFrameEncoder frames, ObjectMapper json, JWTParser tokens, Vertx vertx, GatewayConfig config, InboundRate inboundRate,
            AccountChanges accounts) {
        this.accounts = accounts;
        this.registry = registry;
        this.mutedTypes = mutedTypes;
        this.actions = actions;
        this.out = out;
        this.frames = frames;
        this.json = json;
        this.tokens = tokens;
        this.vertx = vertx;
        this.config = config;
        this.inboundRate = inboundRate;
    }

    @OnOpen
    @NonBlocking
    void open(WebSocketConnection connection) {
        // put there by SocketAuthentication on the upgrade; the session holds them from now on
        SocketUser user = connection.userData().remove(SocketAuthentication.USER);
        if (user == null) {
            LOG.errorf("Socket %s opened without the identity of its upgrade (SocketAuthentication): closed", connection.id());
            out.close(connection, INTERNAL_ERROR, "internal error", "internal_error");
            return;
        }
        if (registry.count(user.userId()) >= config.maxSocketsPerUser()) {
            out.close(connection, POLICY_VIOLATION, "too many sockets for this user", "too_many_sockets");
            return;
        }
        Session session = new Session(connection, user);
        if (!out.attach(session)) {
            LOG.errorf("Socket %s opened without the RSV/protocol-error guard (StrictFraming): closed", connection.id());
            out.close(connection, INTERNAL_ERROR, "internal error", "internal_error");
            return;
        }
        connection.userData().put(Session.KEY, session);
        SocketAuthentication.releaseHandshakeHeaders(connection);
        registry.add(session);
        mutedTypes.load(user.userId());
    }

    @OnClose
    @NonBlocking
    void close(WebSocketConnection connection) {
        Session session = connection.userData().get(Session.KEY);
        if (session != null) {
            session.closing();
            registry.remove(session);
            mutedTypes.forgetIfGone(session.user().userId());
        }
    }

    @OnPongMessage
    @NonBlocking
    void pong(Buffer data, WebSocketConnection connection) {
        Session session = connection.userData().get(Session.KEY);
        if (session != null) {
            session.heard();
        }
    }

    @OnBinaryMessage
    @NonBlocking
    void binary(Buffer data, WebSocketConnection connection) {
        out.close(connection, UNSUPPORTED_DATA, "binary frames are not supported: send JSON text frames", "binary_frame");
    }

    /**
     * A message over the size limit closes with 1009 (a frame that breaks RFC 6455 never gets here:
     * see {@link StrictFraming}); anything else unexpected gets an error frame.
     */
    @OnError
    @NonBlocking
    void failure(Throwable failure, WebSocketConnection connection) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("max message size") || message.contains("max frame size")
                || failure.getClass().getSimpleName().contains("TooLong")) {
            out.close(connection, MESSAGE_TOO_BIG, "message too big (at most "
                    + config.maxMessageSize() + " bytes)", "message_too_big");
            return;
        }
        if (failure instanceof io.vertx.core.http.HttpClosedException || !connection.isOpen()) {
            LOG.debugf("Socket %s went away: %s", connection.id(), failure);
            return; // the client left (a normal end, not a fault): nobody to answer
        }
        LOG.warnf("Unexpected failure on socket %s: %s", connection.id(), failure.toString());
        actions.error(connection, null, "internal_error", "The gateway could not process that frame");
    }

    /**
     * Every frame gets a reply on this socket (but an accepted {@code ack}: {@link SocketAcks}); a bad one gets an
     * {@code error}, never a crash.
     */
    @OnTextMessage
    @NonBlocking
    void message(String text, WebSocketConnection connection) {
        Session session = connection.userData().get(Session.KEY);
        if (session == null) {
            return; // refused on open
        }
        session.heard();
        if (!session.allowInbound(inboundRate.limit())) {
            if (session.refusedInARow() > config.floodTolerance()) {
                out.close(connection, POLICY_VIOLATION, "rate limit exceeded", "flood");
            } else {
                actions.error(connection, null, "rate_limited", "Too many frames; at most "
                        + config.inboundRatePerSecond() + " per second");
            }
            return;
        }
        session.accepted();
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            actions.error(connection, null, "malformed_json", "Frames must be JSON objects");
            return;
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            actions.error(connection, null, "invalid_frame", "A frame is a JSON object with a string \"type\"");
            return;
        }
        JsonNode ref = frame.get("ref");
        String type = frame.get("type").asText();
        switch (type) {
            case "ping" -> out.send(connection, frames.pong(ref));
            case "refresh_token" -> refresh(connection, session, frame, ref);
            default -> {
                if (!actions.handle(connection, session, type, frame, ref)) {
                    LOG.debugf("Unknown frame type %s", type);
                    actions.error(connection, ref, "unknown_type", "Unknown frame type: " + abbreviate(type));
                }
            }
        }
    }

    /** A fresh token for the same user keeps the socket open past the old token's expiry. */
    private void refresh(WebSocketConnection connection, Session session, JsonNode frame, JsonNode ref) {
        String token = frame.path("token").asText("");
        // verifying may fetch the signing keys over HTTP: off the event loop; the result comes back on it
        vertx.<JsonWebToken>executeBlocking(() -> tokens.parse(token), false).onComplete(parsed -> {
            if (parsed.failed()) {
                if (!(parsed.cause() instanceof ParseException)) {
                    LOG.warnf("Token verification failed on socket %s: %s", connection.id(), parsed.cause().toString());
                }
                actions.error(connection, ref, "invalid_token", "The token is not valid: the socket keeps its current one");
                return;
            }
            JsonWebToken fresh = parsed.result();
            if (!session.user().userId().equals(fresh.getSubject())) {
                actions.error(connection, ref, "invalid_token", "The token belongs to another user");
                return;
            }
            SocketUser user = accounts.current(fresh);
            if (user == null) {
                actions.error(connection, ref, "invalid_token", "The account was disabled");
                return; // its socket is being closed
            }
            registry.reroute(session, user);
            out.send(connection, frames.reply("token_refreshed", ref,
                    frames.fields().put("expires_at", user.expiresAt().toString())));
        });
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
