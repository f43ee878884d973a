package io.notify.auth.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.notify.auth.AuthConfig;
import io.notify.auth.RandomSecrets;
import io.notify.auth.user.UserAccessRevoked;
import io.notify.auth.user.UserAccount;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * Refresh sessions. A refresh token is 256 random bits, handed out once and stored only as its
 * SHA-256 hash (a fast hash is enough for a secret with that much entropy). Every refresh rotates
 * it; presenting a token that was already rotated means two parties hold the chain, so the whole
 * session is revoked and both have to log in again.
 */
@ApplicationScoped
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);

    /** Tokens handed to a client after a login or a refresh. */
    public record Tokens(String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn) {
    }

    private final AuthConfig.Refresh config;
    private final AccessTokens tokens;
    private final LoginMetrics metrics;

    public Sessions(AuthConfig config, AccessTokens tokens, LoginMetrics metrics) {
        this.config = config.refresh();
        this.tokens = tokens;
        this.metrics = metrics;
    }

    @Transactional
    public Tokens start(UUID userId) {
        UserAccount user = UserAccount.findById(userId);
        OffsetDateTime now = OffsetDateTime.now();
        RefreshSession session = new RefreshSession();
        session.id = UUID.randomUUID();
        session.user = user;
        session.createdAt = now;
        session.expiresAt = now.plus(config.sessionLifetime());
        session.persist();
        return issue(session, user, now);
    }

    /** Rotates a refresh token; empty when it is unknown, expired, revoked, reused or its user disabled. */
    @Transactional
    public Optional<Tokens> refresh(String refreshToken) {
        Optional<RefreshToken> found = RefreshToken.findForUpdate(hash(refreshToken));
        if (found.isEmpty()) {
            metrics.refreshed(LoginMetrics.RefreshOutcome.UNKNOWN);
            return Optional.empty();
        }
        RefreshToken token = found.get();
        RefreshSession session = token.session;
        OffsetDateTime now = OffsetDateTime.now();
        if (token.usedAt != null) {
            if (session.revokedAt == null) {
                LOG.warnf("Refresh token reuse on session %s of user %s: session revoked", session.id, session.user.id);
            }
            session.revoke("reuse", now);
            metrics.refreshed(LoginMetrics.RefreshOutcome.REUSED);
            return Optional.empty();
        }
        if (!session.isActive(now) || !token.expiresAt.isAfter(now)) {
            metrics.refreshed(LoginMetrics.RefreshOutcome.EXPIRED);
            return Optional.empty();
        }
        UserAccount user = session.user;
        if (!user.enabled) {
            session.revoke("disabled", now);
            metrics.refreshed(LoginMetrics.RefreshOutcome.DISABLED);
            return Optional.empty();
        }
        token.usedAt = now;
        metrics.refreshed(LoginMetrics.RefreshOutcome.SUCCESS);
        return Optional.of(issue(session, user, now));
    }

    /** Revokes the session a refresh token belongs to (any token of its chain); unknown tokens are ignored. */
    @Transactional
    public void logout(String refreshToken) {
        RefreshToken.<RefreshToken>findByIdOptional(hash(refreshToken))
                .ifPresent(token -> token.session.revoke("logout", OffsetDateTime.now()));
    }

    /** Revokes the session named by an access token's {@code sid}, if it is the caller's own. */
    @Transactional
    public void logout(UUID sessionId, UUID userId) {
        RefreshSession.<RefreshSession>findByIdOptional(sessionId)
                .filter(session -> session.user.id.equals(userId))
                .ifPresent(session -> session.revoke("logout", OffsetDateTime.now()));
    }

    private Tokens issue(RefreshSession session, UserAccount user, OffsetDateTime now) {
        String raw = RandomSecrets.generate();
        RefreshToken token = new RefreshToken();
        token.tokenHash = hash(raw);
        token.session = session;
        token.createdAt = now;
        OffsetDateTime idleEnd = now.plus(config.tokenLifetime());
        token.expiresAt = idleEnd.isBefore(session.expiresAt) ? idleEnd : session.expiresAt;
        token.persist();
        return new Tokens(tokens.accessToken(user, session.id), tokens.accessTokenLifetime().toSeconds(), raw,
                Duration.between(now, token.expiresAt).toSeconds());
    }

    /** A disabled user or a new password ends every live session of the user, in the directory's transaction. */
    void onAccessRevoked(@Observes UserAccessRevoked event) {
        RefreshSession.revokeAllOf(event.userId(), event.reason());
    }

    /** Sessions past their absolute lifetime can no longer be used, and neither can their tokens. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeExpired() {
        long deleted = RefreshSession.delete("expiresAt < ?1", OffsetDateTime.now().minusDays(1));
        if (deleted > 0) {
            LOG.infof("Purged %d expired refresh sessions", deleted);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
