package io.notify.auth.login;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.notify.auth.user.UserAccount;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One login: the chain of refresh tokens rotated from it. Revoking it ends every token of the chain. */
@Entity
@Table(name = "refresh_sessions")
public class RefreshSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "user_id")
    public UserAccount user;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean isActive(OffsetDateTime now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }

    public void revoke(String reason, OffsetDateTime now) {
        if (revokedAt == null) {
            revokedAt = now;
            revokedReason = reason;
        }
    }

    /** Revokes every live session of a user (disabled account, password change). */
    public static int revokeAllOf(UUID userId, String reason) {
        return update("revokedAt = ?1, revokedReason = ?2 where user.id = ?3 and revokedAt is null",
                OffsetDateTime.now(), reason, userId);
    }
}
