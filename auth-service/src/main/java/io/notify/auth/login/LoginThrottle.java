package io.notify.auth.login;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.notify.auth.AuthConfig;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.ws.rs.core.Response;

/**
 * Brute-force protection for password logins and client-credentials grants: failures are counted
 * per principal (username or client id) and per client address in a fixed window, in PostgreSQL,
 * so the limits hold across restarts and across all instances. A blocked key answers 429 with
 * {@code Retry-After} until its window ends, even for the right password, without checking it.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final EntityManager em;
    private final AuthConfig.Throttle config;
    private final LoginMetrics metrics;

    public LoginThrottle(EntityManager em, AuthConfig config, LoginMetrics metrics) {
        this.em = em;
        this.config = config.throttle();
        this.metrics = metrics;
    }

    /**
     * Runs one credential check under the throttle: refused with 429 while blocked, a failure is
     * counted, a success clears the principal's counter (not the address's: one good password must
     * not reset an attacker's budget for guessing others from the same address). {@code passwordLogin}: a user's
     * password login (false: a client-credentials grant), for the metrics.
     */
    public <T> Optional<T> attempt(String principal, String address, boolean passwordLogin,
            Supplier<Optional<T>> check) {
        String principalKey = "principal:" + principal.toLowerCase(Locale.ROOT);
        String addressKey = "address:" + address;
        try {
            checkAllowed(principalKey, addressKey);
        } catch (HttpProblem refused) {
            metrics.checked(LoginMetrics.Outcome.THROTTLED, passwordLogin);
            throw refused;
        }
        Optional<T> result = check.get();
        if (result.isPresent()) {
            metrics.checked(LoginMetrics.Outcome.SUCCESS, passwordLogin);
            clear(principalKey);
        } else {
            metrics.checked(LoginMetrics.Outcome.FAILURE, passwordLogin);
            recordFailure(principalKey, addressKey);
        }
        return result;
    }

    @Transactional(TxType.REQUIRES_NEW)
    void checkAllowed(String principalKey, String addressKey) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT throttle_key, failures,
                       ceil(extract(epoch FROM window_started_at + :window * interval '1 second' - now()))
                FROM login_throttle
                WHERE throttle_key IN (:principal, :address)
                  AND window_started_at > now() - :window * interval '1 second'
                """)
                .setParameter("window", config.window().toSeconds())
                .setParameter("principal", principalKey)
                .setParameter("address", addressKey)
                .getResultList();
        long retryAfter = 0;
        boolean byPrincipal = false;
        for (Object[] row : rows) {
            boolean principal = principalKey.equals(row[0]);
            int max = principal ? config.maxFailuresPerUsername() : config.maxFailuresPerAddress();
            if (((Number) row[1]).intValue() >= max) {
                retryAfter = Math.max(retryAfter, Math.max(1, ((Number) row[2]).longValue()));
                byPrincipal |= principal;
            }
        }
        if (retryAfter > 0) {
            metrics.blocked(byPrincipal);
            LOG.infof("Throttled a credential attempt (retry after %ds)", retryAfter);
            throw HttpProblem.builder()
                    .withStatus(Response.Status.TOO_MANY_REQUESTS)
                    .withTitle("Too many failed attempts")
                    .withDetail("Too many failed sign-in attempts; try again in " + retryAfter + " seconds")
                    .withHeader("Retry-After", retryAfter)
                    .build();
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    void recordFailure(String principalKey, String addressKey) {
        for (String key : List.of(principalKey, addressKey)) {
            em.createNativeQuery("""
                    INSERT INTO login_throttle (throttle_key, failures, window_started_at) VALUES (:key, 1, now())
                    ON CONFLICT (throttle_key) DO UPDATE SET
                      failures = CASE WHEN login_throttle.window_started_at <= now() - :window * interval '1 second'
                                      THEN 1 ELSE login_throttle.failures + 1 END,
                      window_started_at = CASE WHEN login_throttle.window_started_at <= now() - :window * interval '1 second'
                                      THEN now() ELSE login_throttle.window_started_at END
                    """)
                    .setParameter("key", key)
                    .setParameter("window", config.window().toSeconds())
                    .executeUpdate();
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    void clear(String principalKey) {
        em.createNativeQuery("DELETE FROM login_throttle WHERE throttle_key = :key")
                .setParameter("key", principalKey)
                .executeUpdate();
    }

    /** Windows that ended hold nothing any more. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purgeEndedWindows() {
        em.createNativeQuery("DELETE FROM login_throttle WHERE window_started_at <= now() - :window * interval '1 second'")
                .setParameter("window", config.window().toSeconds())
                .executeUpdate();
    }
}
