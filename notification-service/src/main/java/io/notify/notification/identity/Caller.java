package io.notify.notification.identity;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.notify.directory.RecentChanges;

import jakarta.json.JsonString;

/**
 * Who is calling, from the verified token (or the user a gateway acts for, {@link ActingFor}): the identity an inbox is
 * computed from (fan-out on read) and what a sender may address. {@code scope} is a service account's
 * {@code companies} claim; {@code credential} what auth-service's directory is asked with for this caller.
 */
public record Caller(String userId, String username, String company, Set<String> roles, Set<String> scope,
        Credential credential) {

    /**
     * How the store asks auth-service's directory for a caller: with the caller's own token, or for a user a gateway
     * acts for, with the gateway's token and the same {@value ActingFor#HEADER} (null otherwise).
     */
    public record Credential(String bearerToken, String actingFor) {
        @Override
        public String toString() {
            return "Credential[" + (actingFor == null ? "the caller's token" : "acting for") + "]"; // never the token
        }
    }

    public static Caller of(JsonWebToken jwt) {
        return new Caller(jwt.getSubject(), jwt.getName(), jwt.getClaim("company"), jwt.getGroups(),
                stringSet(jwt.getClaim("companies")), new Credential(jwt.getRawToken(), ActingFor.header(jwt)));
    }

    /**
     * This caller as the account's last change left it ({@code user-changes}), for a token issued before that change:
     * a user's company and roles, a service account's companies.
     */
    public Caller as(RecentChanges.Account account) {
        if (account.serviceAccount()) {
            return new Caller(userId, username, company, roles, account.companies(), credential);
        }
        return new Caller(userId, username, account.company(), account.roles(), scope, credential);
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }

    public boolean isService() {
        return roles.contains("service");
    }

    private static Set<String> stringSet(Object claim) {
        if (claim instanceof Collection<?> values) {
            return values.stream()
                    .map(v -> v instanceof JsonString s ? s.getString() : String.valueOf(v))
                    .collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }

    @Override
    public String toString() {
        return "Caller[" + userId + ", " + username + ", " + company + ", " + roles + "]"; // never the token
    }
}
