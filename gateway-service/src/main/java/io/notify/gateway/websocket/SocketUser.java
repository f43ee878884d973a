package io.notify.gateway.websocket;

import java.time.Instant;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** The identity a socket was opened with, taken from its verified JWT. */
public record SocketUser(String userId, String username, String company, Set<String> roles, Instant expiresAt) {

    /** Whether both are routed alike (same user, company and roles). */
    boolean sameRouting(SocketUser other) {
        return userId.equals(other.userId) && java.util.Objects.equals(company, other.company) && roles.equals(other.roles);
    }

    static SocketUser of(JsonWebToken jwt) {
        String company = jwt.getClaim("company");
        return new SocketUser(jwt.getSubject(), jwt.getName(), company, Set.copyOf(jwt.getGroups()),
                Instant.ofEpochSecond(jwt.getExpirationTime()));
    }
}
