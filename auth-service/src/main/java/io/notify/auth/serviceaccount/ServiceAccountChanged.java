package io.notify.auth.serviceaccount;

import java.util.Set;

/**
 * Fired inside the transaction that created or changed a service account, with what changed; the user-changes outbox
 * observes it (package {@code changes}). A new name or secret fires nothing: no other service keeps them.
 */
public record ServiceAccountChanged(ServiceAccount account, Set<Change> changes) {

    /** What other services authorize by. */
    public enum Change {
        CREATED, DISABLED, ENABLED, COMPANIES, SEND_QUOTA
    }
}
