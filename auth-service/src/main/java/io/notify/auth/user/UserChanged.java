package io.notify.auth.user;

import java.util.Set;

/**
 * Fired inside the transaction that created or changed a user, with what changed; the user-changes outbox observes it
 * (package {@code changes}), so the directory needs to know nothing about Kafka. A change that touches none of these
 * (display name, e-mail, password) fires nothing: no other service keeps them.
 */
public record UserChanged(UserAccount user, Set<Change> changes) {

    /** What other services route or authorize by. */
    public enum Change {
        CREATED, DISABLED, ENABLED, ROLES, COMPANY
    }
}
