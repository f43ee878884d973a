package io.notify.directory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The latest state of every account changed within the look-back, from {@code user-changes}: what a token issued
 * before that change must be judged by instead of its claims. A token issued after the account's last change
 * carries the current state itself (auth-service puts it in the claims), and every change older than the look-back
 * predates every valid token, so this holds only the few accounts changed in the last minutes.
 */
@ApplicationScoped
public class RecentChanges {

    /** An account as its last change left it: a user's company and roles, or a service account's companies. */
    public record Account(String id, boolean serviceAccount, String company, Set<String> roles, Set<String> companies,
            boolean enabled, long changedAtMillis) {

        /** Whether a user's routing differs: another company or other roles. */
        public boolean routesLike(String otherCompany, Set<String> otherRoles) {
            return Objects.equals(company, otherCompany) && roles.equals(otherRoles);
        }
    }

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final long lookBackMillis;

    public RecentChanges(@ConfigProperty(name = "notify.directory.lookback", defaultValue = "20m") Duration lookBack) {
        this.lookBackMillis = lookBack.toMillis();
    }

    /** {@link #apply(UserChangeRecord)} for a record's JSON value; a value that is not a UserChange is skipped (logged). */
    public Account apply(String json, ObjectMapper mapper) {
        return apply(UserChangeRecord.parse(json, mapper));
    }

    /**
     * Keeps the state {@code change} carries, unless a later change of the account is known already (a redelivered
     * record). Answers the account as it is now, or null when the record is incomplete, stale or older than the
     * look-back (nothing to act on).
     */
    public Account apply(UserChangeRecord change) {
        if (change == null || !change.complete()) {
            return null;
        }
        long at = change.occurredAt().toEpochMilli();
        if (at < System.currentTimeMillis() - lookBackMillis) {
            return null;
        }
        Account account = change.user() != null
                ? new Account(change.user().id(), false, change.user().company(), Set.copyOf(change.user().roles()),
                        Set.of(), change.user().enabled(), at)
                : new Account(change.serviceAccount().id(), true, null, Set.of("service"),
                        Set.copyOf(change.serviceAccount().companies()), change.serviceAccount().enabled(), at);
        Account kept = accounts.merge(account.id(), account, (old, fresh) -> fresh.changedAtMillis() >= old.changedAtMillis() ? fresh : old);
        if (accounts.size() > 1024) {
            forgetOlderThanLookBack();
        }
        return kept == account ? account : null;
    }

    /**
     * The state a token of {@code subject} issued at {@code issuedAtSecond} (its {@code iat}) must be judged by, or null
     * when the account did not change since (the token's claims are current). A change in the token's own second counts:
     * its state is the latest either way.
     */
    public Account overriding(String subject, long issuedAtSecond) {
        if (subject == null) {
            return null;
        }
        Account account = accounts.get(subject);
        if (account == null || account.changedAtMillis() / 1000 < issuedAtSecond) {
            return null;
        }
        return account;
    }

    private void forgetOlderThanLookBack() {
        long horizon = System.currentTimeMillis() - lookBackMillis;
        accounts.values().removeIf(a -> a.changedAtMillis() < horizon);
    }
}
