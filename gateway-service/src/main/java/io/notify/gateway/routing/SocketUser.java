package io.notify.gateway.routing;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.directory.RecentChanges;

/**
 * The identity a socket was opened with, taken from its verified JWT: only what routing, expiry
 * and the store calls need, since every idle socket holds one. The store is called for the socket's user with the
 * gateway's own token and {@link #actingFor()} (its token's claims the store reads), not with the user's token: the
 * socket does not keep that.
 */
public record SocketUser(String userId, String username, String company, Set<String> roles, long issuedAtSecond,
        long expiresAtSecond) {

    /**
     * Company names and role sets repeat across thousands of sockets: each socket refers to one
     * shared instance instead of its own copy from its token. Bounded, as a safety net: past it
     * values are simply not shared (tokens are signed, so their companies and roles are real ones).
     */
    private static final Map<Object, Object> SHARED = new ConcurrentHashMap<>();
    private static final int MAX_SHARED = 100_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * What notification-service's {@code Notify-Acting-For} header carries for this socket's user: the claims of its
     * token the store reads ({@code sub}, {@code upn}, {@code company}, {@code groups}, {@code iat}, {@code exp}), as a
     * JSON object; the company and roles as the account's last change left them. Built for each call: a socket keeps
     * only its fields.
     */
    public String actingFor() {
        ObjectNode claims = JSON.objectNode().put("sub", userId).put("upn", username).put("company", company)
                .put("iat", issuedAtSecond).put("exp", expiresAtSecond);
        ArrayNode groups = claims.putArray("groups");
        roles.forEach(groups::add);
        return claims.toString();
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAtSecond);
    }

    /** Whether both are routed alike (same user, company and roles). */
    public boolean sameRouting(SocketUser other) {
        return userId.equals(other.userId) && Objects.equals(company, other.company) && roles.equals(other.roles);
    }

    /** The same socket's user as its account's last change left it ({@code user-changes}): company and roles. */
    public SocketUser as(RecentChanges.Account account) {
        return new SocketUser(userId, username, shared(account.company()),
                shared(Set.copyOf(account.roles().stream().map(SocketUser::shared).toList())), issuedAtSecond,
                expiresAtSecond);
    }

    public static SocketUser of(JsonWebToken jwt) {
        String company = jwt.getClaim("company");
        return new SocketUser(jwt.getSubject(), jwt.getName(), shared(company),
                shared(Set.copyOf(jwt.getGroups().stream().map(SocketUser::shared).toList())), jwt.getIssuedAtTime(),
                jwt.getExpirationTime());
    }

    @SuppressWarnings("unchecked")
    private static <T> T shared(T value) {
        if (value == null) {
            return null;
        }
        Object known = SHARED.get(value);
        if (known == null && SHARED.size() < MAX_SHARED) {
            known = SHARED.putIfAbsent(value, value);
        }
        return known == null ? value : (T) known;
    }
}
