package io.notify.infra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test-only token issuer for services that verify tokens: an RSA key pair generated when the test
 * JVM starts (never stored in git), its JWKS written to a temp file the service under test is
 * pointed at, and helpers for valid and deliberately broken tokens (the security matrix).
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "notify-auth";
    public static final String AUDIENCE = "notify";

    /** The test JVM's signing key, and the forgeries made against it. */
    public static final TokenForgery FORGERY = TokenForgery.generate();
    private static final Path JWKS_FILE = writeJwks();

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey.location", JWKS_FILE.toUri().toString(),
                "mp.jwt.verify.issuer", ISSUER,
                "mp.jwt.verify.audiences", AUDIENCE);
    }

    @Override
    public void stop() {
        // the key lives for the whole test JVM
    }

    public static String jwksUri() {
        return JWKS_FILE.toUri().toString();
    }

    /** A valid 15-minute access token, shaped like auth-service's. */
    public static String token(String userId, String username, String company, Set<String> roles) {
        return sign(claims(userId, username, company, roles, Instant.now().plusSeconds(900)));
    }

    /**
     * A valid token of the WebSocket gateways' own client, shaped like auth-service's: subject {@code notify-gateway},
     * role {@code gateway}, no company.
     */
    public static String gatewayToken() {
        JwtClaims claims = claims("notify-gateway", "notify-gateway", null, Set.of("gateway"), Instant.now().plusSeconds(900));
        claims.unsetClaim("company");
        return sign(claims);
    }

    /** The claims of a valid token, to alter before {@link #sign(JwtClaims)}. */
    public static JwtClaims claims(String userId, String username, String company, Set<String> roles, Instant expiresAt) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(userId);
        claims.setClaim("upn", username);
        claims.setStringListClaim("groups", roles.stream().toList());
        claims.setClaim("company", company);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    public static String sign(JwtClaims claims) {
        return FORGERY.sign(claims);
    }

    /** Signed by a key the verifier does not know, under the verifier's kid. */
    public static String signWithForeignKey(JwtClaims claims) {
        return FORGERY.attackerKeyKnownKid(claims);
    }

    /** {@code alg: none}, no signature. */
    public static String unsigned(JwtClaims claims) {
        return FORGERY.algNone(claims);
    }

    /** HS256 with the RSA public key as the HMAC secret (the algorithm-confusion attack). */
    public static String hs256WithPublicKey(JwtClaims claims) {
        return FORGERY.hs256WithPublicKey(claims);
    }

    /** A validly signed token whose payload was then changed (here: another company). */
    public static String tampered(String token, String company) {
        return TokenForgery.tampered(token,
                payload -> payload.replaceFirst("\"company\":\"[^\"]*\"", "\"company\":\"" + company + "\""));
    }

    public static RSAPublicKey publicKey() {
        return FORGERY.key().getRsaPublicKey();
    }

    private static Path writeJwks() {
        try {
            Path file = Files.createTempFile("notify-test-jwks", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, new JsonWebKeySet(FORGERY.key()).toJson(OutputControlLevel.PUBLIC_ONLY));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
