package io.notify.auth.service;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.notify.auth.config.AuthConfig;
import io.notify.auth.persistence.UserAccount;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class TokenService {

    private final AuthConfig config;
    private final SigningKeys keys;

    public TokenService(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public Duration accessTokenLifetime() {
        return Duration.ofMinutes(config.accessTokenExpireMinutes());
    }

    public String accessToken(UserAccount user) {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(user.id.toString())
                .upn(user.username)
                .groups(user.roles)
                .claim("company", user.company.slug)
                .claim("name", user.displayName)
                .issuedAt(now)
                .expiresAt(now.plus(accessTokenLifetime()))
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .keyId(keys.keyId())
                .sign(keys.privateKey());
    }
}
