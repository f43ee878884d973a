package io.notify.auth.config;

import java.util.Set;

import io.notify.auth.service.SigningKeys;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;

/**
 * auth-service verifies its own tokens (for /api/auth/me) with the key it signs with, instead of
 * fetching its own JWKS over HTTP.
 */
public class OwnTokenVerification {

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo ownKey(SigningKeys keys, AuthConfig config) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.publicKey(), config.issuer());
        info.setExpectedAudience(Set.of(config.audience()));
        return info;
    }
}
