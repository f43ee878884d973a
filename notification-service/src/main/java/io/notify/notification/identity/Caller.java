package io.notify.notification.identity;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.notify.directory.RecentChanges;

import jakarta.json.JsonString;

/**
 * Who is calling, from the verified token: the identity an inbox is computed from (fan-out on
 * read) and what a sender may address. {@code scope} is a service account's {@code companies} claim.
 */
public record Caller(String userId, String username, String company, Set<String> roles, Set<String> scope,
        String rawToken) {

    public static Caller of(JsonWebToken jwt) {
        return new Caller(jwt.getSubject(), jwt.getName(), jwt.getClaim("company"), jwt.getGroups(),
                stringSet(jwt.getClaim("companies")), jwt.getRawToken());
    }

    /**
     * This caller as the account's last change left it ({@code user-changes}), for a token issued before that change:
     * a user's company and roles, a service account's companies.
     */
    public Caller as(RecentChanges.Account account) {
        if (account.serviceAccount()) {
            return new Caller(userId, username, company, roles, account.companies(), rawToken);
        }
        return new Caller(userId, username, account.company(), account.roles(), scope, rawToken);
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
