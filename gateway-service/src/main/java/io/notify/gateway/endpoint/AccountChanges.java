package io.notify.gateway.endpoint;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.directory.RecentChanges;
import io.notify.gateway.routing.ConnectionIndex;
import io.notify.gateway.routing.Session;
import io.notify.gateway.routing.SocketUser;
import io.notify.gateway.transport.FrameTransport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Open sockets follow their account as it is now ({@code user-changes}, read by every instance from the look-back:
 * directory-changes/README): a disabled user's sockets close (1008) within the time the record takes to arrive, and a
 * user whose company or roles changed is routed by the new ones at once, without reconnecting, and told so with an
 * {@code identity_changed} frame (clients then refresh their token and send it with {@code refresh_token}). A socket
 * opened, or a token refreshed, with a token issued before its account's last change is judged by the change too.
 */
@ApplicationScoped
public class AccountChanges {

    static final String DISABLED_REASON = "account disabled";
    private static final Logger LOG = Logger.getLogger(AccountChanges.class);

    private final RecentChanges changes;
    private final ConnectionIndex registry;
    private final FrameTransport out;
    private final ReplyFrameEncoder frames;
    private final ObjectMapper json;

    public AccountChanges(RecentChanges changes, ConnectionIndex registry, FrameTransport out, ReplyFrameEncoder frames,
            ObjectMapper json) {
        this.changes = changes;
        this.registry = registry;
        this.out = out;
        this.frames = frames;
        this.json = json;
    }

    /** The socket identity of a verified token as its account is now; null when the account was disabled since. */
    public SocketUser current(JsonWebToken jwt) {
        SocketUser user = SocketUser.of(jwt);
        RecentChanges.Account account = changes.overriding(jwt.getSubject(), jwt.getIssuedAtTime());
        if (account == null || account.serviceAccount()) {
            return user;
        }
        return account.enabled() ? user.as(account) : null;
    }

    @Incoming("user-changes")
    void changed(String value) {
        RecentChanges.Account account = changes.apply(value, json);
        if (account == null || account.serviceAccount()) {
            return; // service accounts hold no sockets
        }
        for (Session session : registry.sessionsOf(account.id())) {
            if (!account.enabled()) {
                LOG.debugf("Closing socket %s: its user was disabled", session.connection().id());
                out.close(session.connection(), NotificationSocket.POLICY_VIOLATION, DISABLED_REASON, "account_disabled");
                continue;
            }
            SocketUser user = session.user();
            if (account.routesLike(user.company(), user.roles())) {
                continue;
            }
            registry.reroute(session, user.as(account));
            out.send(session.connection(), frames.reply("identity_changed", null, frames.fields()
                    .put("company", account.company())
                    .set("roles", json.valueToTree(account.roles().stream().sorted().toList()))));
        }
    }
}
