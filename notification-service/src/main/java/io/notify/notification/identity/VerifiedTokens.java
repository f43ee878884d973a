package io.notify.notification.identity;

import java.time.Duration;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.notify.directory.RecentChanges;
import io.quarkus.arc.ClientProxy;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * Remembers tokens whose signature and claims were verified, so a client's repeated requests with
 * the same bearer token cost a map lookup instead of an RSA verification and two JSON parses (about
 * a tenth of the service's CPU per send). Only an exact, previously verified token string hits; an
 * entry is dropped when the token expires and at the latest after {@link #MAX_AGE_MILLIS}, so a key
 * withdrawn from auth-service's JWKS stops being honoured within that time. Failures are never kept. At most
 * {@link #MAX_ENTRIES} tokens are kept: beyond that Caffeine keeps those used most often and recently (a client's
 * token stays remembered while a stream of one-off tokens passes), where clearing everything at the bound made every
 * token of a busy instance verify again.
 *
 * <p>The caller's {@link Caller} is remembered with its token as well: smallrye-jwt answers every
 * custom claim ({@code company}, {@code companies}) by throwing and catching an
 * IllegalArgumentException (an enum lookup of the claim name), two exceptions with full stack traces
 * per request otherwise.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends DefaultJWTParser {

    static final long MAX_AGE_MILLIS = 60_000;
    static final int MAX_ENTRIES = 4096;

    private final Memo memo = new Memo();
    private final RecentChanges changes;

    public VerifiedTokens(JWTAuthContextInfo config, JWTCallerPrincipalFactory principals, RecentChanges changes) {
        super(config, principals);
        this.changes = changes;
    }

    /** What MpJwtValidator calls for each request's bearer token. */
    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return memo.parse(token, super::parse);
    }

    /**
     * The caller of this request, derived once per remembered token; as the account's last change left it when the
     * token was issued before that change ({@code user-changes}: another company, other roles, other companies of a
     * service account). A disabled account's token never gets here ({@link CurrentAccounts}: 401).
     */
    public Caller caller(JsonWebToken jwt) {
        Caller caller = memo.caller(jwt);
        RecentChanges.Account changed = changes.overriding(caller.userId(), jwt.getIssuedAtTime());
        return changed == null ? caller : caller.as(changed);
    }

    /** smallrye-jwt's verification of one token. */
    @FunctionalInterface
    interface Verification {
        JsonWebToken verify(String token) throws ParseException;
    }

    /** The tokens verified in the last minute, each until it expires, at most {@link #MAX_ENTRIES} of them. */
    static final class Memo {

        private static final class Verified {
            final JsonWebToken token;
            final long validUntilMillis;
            /** Set on first use; racing requests may both derive it, alike. */
            volatile Caller reader;

            Verified(JsonWebToken token, long validUntilMillis) {
                this.token = token;
                this.validUntilMillis = validUntilMillis;
            }
        }

        /** Evicted and expired on the caller's thread: a few map operations, no pool to schedule them on. */
        private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.creating((String token, Verified v) -> Duration
                        .ofMillis(Math.max(0, v.validUntilMillis - System.currentTimeMillis()))))
                .executor(Runnable::run).build();

        JsonWebToken parse(String token, Verification verification) throws ParseException {
            long now = System.currentTimeMillis();
            JsonWebToken known = known(token, now);
            if (known != null) {
                return known;
            }
            JsonWebToken jwt = verification.verify(token);
            verified.put(token, new Verified(jwt, Math.min(now + MAX_AGE_MILLIS, jwt.getExpirationTime() * 1000)));
            return jwt;
        }

        /** The remembered verification of {@code token} if it is still valid, else null (and forgotten). */
        JsonWebToken known(String token, long now) {
            Verified hit = verified.getIfPresent(token);
            if (hit != null) {
                if (now < hit.validUntilMillis) {
                    return hit.token;
                }
                verified.asMap().remove(token, hit);
            }
            return null;
        }

        /** How many tokens are remembered (after pending evictions). */
        long size() {
            verified.cleanUp();
            return verified.estimatedSize();
        }

        /**
         * {@code jwt} is this request's verified token; a token no longer remembered is read afresh, and so is the user
         * a gateway acts for (its raw token is the gateway's: the gateway's caller is remembered under it).
         */
        Caller caller(JsonWebToken jwt) {
            Verified hit = verified.getIfPresent(jwt.getRawToken());
            if (hit == null || hit.token != ClientProxy.unwrap(jwt)) {
                return Caller.of(jwt);
            }
            Caller reader = hit.reader;
            if (reader == null) {
                reader = Caller.of(hit.token);
                hit.reader = reader;
            }
            return reader;
        }
    }
}
