package io.notify.auth.login;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import io.notify.auth.AuthConfig;
import io.notify.auth.company.Company;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.signing.SigningKeys;
import io.notify.auth.user.Roles;
import io.notify.auth.user.UserAccount;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

/** Signs access tokens: RS256 with the current key's {@code kid}; claims as ARCHITECTURE.md lists them. */
@ApplicationScoped
public class AccessTokens {

    private final AuthConfig config;
    private final SigningKeys keys;

    public AccessTokens(AuthConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public Duration accessTokenLifetime() {
        return Duration.ofMinutes(config.accessTokenExpireMinutes());
    }

    /** A user's token; {@code sid} names the refresh session so that logout can find it from the bearer. */
    public String accessToken(UserAccount user, UUID sessionId) {
        return sign(claims(user.id, user.username, user.roles)
                .claim("company", user.company.slug)
                .claim("name", user.displayName)
                .claim("sid", sessionId.toString()));
    }

    /** A service account's token: role {@code service}, scoped by the {@code companies} claim. */
    public String serviceToken(ServiceAccount account) {
        return sign(claims(account.id, account.clientId, Set.of(Roles.SERVICE))
                .claim("companies", account.companies.stream().map(Company::slug).sorted().toList()));
    }

    /** The WebSocket gateways' token ({@link GatewayClient}): role {@code gateway}, no company. */
    public String gatewayToken() {
        return sign(claims(GatewayClient.CLIENT_ID, GatewayClient.CLIENT_ID, Set.of(Roles.GATEWAY)));
    }

    private JwtClaimsBuilder claims(UUID subject, String upn, Set<String> groups) {
        return claims(subject.toString(), upn, groups);
    }

    private JwtClaimsBuilder claims(String subject, String upn, Set<String> groups) {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(subject)
                .upn(upn)
                .groups(groups)
                .issuedAt(now)
                .expiresAt(now.plus(accessTokenLifetime()))
                .claim("jti", UUID.randomUUID().toString());
    }

    private String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId(keys.keyId()).sign(keys.privateKey());
    }
}
