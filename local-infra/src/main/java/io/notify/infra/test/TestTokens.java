package io.notify.infra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test-only token issuer for services that verify tokens: an RSA key pair generated when the test
 * JVM starts (never stored in git), its JWKS written to a temp file the service under test is
 * pointed at, and helpers for valid and deliberately broken tokens (the security matrix).
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "notify-auth";
    public static final String AUDIENCE = "notify";

    private static final RsaJsonWebKey KEY = generate();
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
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(KEY.getPrivateKey());
        jws.setKeyIdHeaderValue(KEY.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
    }

    /** Signed by a key the verifier does not know. */
    public static String signWithForeignKey(JwtClaims claims) {
        RsaJsonWebKey foreign = generate();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(foreign.getPrivateKey());
        jws.setKeyIdHeaderValue(KEY.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
    }

    /** {@code alg: none}, no signature. */
    public static String unsigned(JwtClaims claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.toJson()) + ".";
    }

    /** HS256 with the RSA public key as the HMAC secret (the algorithm-confusion attack). */
    public static String hs256WithPublicKey(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(new HmacKey(KEY.getRsaPublicKey().getEncoded()));
        jws.setKeyIdHeaderValue(KEY.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    /** A validly signed token whose payload was then changed (here: another company). */
    public static String tampered(String token, String company) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String changed = payload.replaceFirst("\"company\":\"[^\"]*\"", "\"company\":\"" + company + "\"");
        return parts[0] + "." + b64(changed) + "." + parts[2];
    }

    public static RSAPublicKey publicKey() {
        return KEY.getRsaPublicKey();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            jwk.setKeyId("test-" + UUID.randomUUID());
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return jwk;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writeJwks() {
        try {
            Path file = Files.createTempFile("notify-test-jwks", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, new JsonWebKeySet(KEY).toJson(OutputControlLevel.PUBLIC_ONLY));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
