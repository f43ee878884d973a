package io.notify.auth.user;

import java.util.UUID;

/**
 * Fired inside the transaction that disabled a user or set a new password: whatever the user is
 * signed in with must stop working at once. The sessions observe it (package {@code login}), so the
 * directory needs to know nothing about them.
 *
 * @param reason why, as the revoked sessions record it: {@code disabled} or {@code password-changed}
 */
public record UserAccessRevoked(UUID userId, String reason) {
}
