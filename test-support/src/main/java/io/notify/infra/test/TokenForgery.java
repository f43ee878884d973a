package io.notify.infra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Signs tokens with a verifier's real RSA key, and forges the tokens an attacker would try
 * against it: each forgery differs from a valid token only in the attacked part, so a rejection
 * proves that one check.
 */
public final class TokenForgery {

    private final RsaJsonWebKey key;

    public TokenForgery(RsaJsonWebKey key) {
        this.key = key;
    }

    /** A fresh 2048-bit key under a random kid (what tests that play auth-service use). */
    public static TokenForgery generate() {
        RsaJsonWebKey jwk = newKey();
        jwk.setKeyId("test-" + UUID.randomUUID());
        return new TokenForgery(jwk);
    }

    /**
     * auth-service's key from its PKCS#8 PEM file; the kid is the RFC 7638 thumbprint, as
     * auth-service publishes it.
     */
    public static TokenForgery fromPem(Path pkcs8Pem) {
        try {
            String pem = Files.readString(pkcs8Pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            RsaJsonWebKey jwk = new RsaJsonWebKey(pub);
            jwk.setPrivateKey(priv);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            return new TokenForgery(jwk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public RsaJsonWebKey key() {
        return key;
    }

    /** A correctly signed RS256 token: the control every forgery is compared with. */
    public String sign(JwtClaims claims) {
        return rs256(claims, key.getPrivateKey(), key.getKeyId());
    }

    /** {@code alg: none}, no signature. */
    public String algNone(JwtClaims claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.toJson()) + ".";
    }

    /** HS256 with the published RSA public key as the HMAC secret (the algorithm-confusion attack). */
    public String hs256WithPublicKey(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(new HmacKey(key.getRsaPublicKey().getEncoded()));
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    /** Signed by the attacker's own key under a kid the verifier never published. */
    public String attackerKeyUnknownKid(JwtClaims claims) {
        return rs256(claims, newKey().getPrivateKey(), "attacker-" + UUID.randomUUID());
    }

    /** Signed by the attacker's own key, claiming the verifier's kid. */
    public String attackerKeyKnownKid(JwtClaims claims) {
        return rs256(claims, newKey().getPrivateKey(), key.getKeyId());
    }

    /** Correctly signed, but expired half an hour ago (issued an hour ago). */
    public String expired(JwtClaims claims) {
        long now = System.currentTimeMillis() / 1000;
        claims.setIssuedAt(NumericDate.fromSeconds(now - 3600));
        claims.setExpirationTime(NumericDate.fromSeconds(now - 1800));
        return sign(claims);
    }

    /** Correctly signed, but not valid before half an hour from now ({@code nbf}). */
    public String notYetValid(JwtClaims claims) {
        long now = System.currentTimeMillis() / 1000;
        claims.setNotBefore(NumericDate.fromSeconds(now + 1800));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
        return sign(claims);
    }

    /** Correctly signed by this key, but claiming another issuer. */
    public String wrongIssuer(JwtClaims claims) {
        claims.setIssuer("https://evil.example");
        return sign(claims);
    }

    /** Correctly signed, but for another audience. */
    public String wrongAudience(JwtClaims claims) {
        claims.setAudience("another-api");
        return sign(claims);
    }

    /** Correctly signed, but with no audience at all. */
    public String noAudience(JwtClaims claims) {
        claims.unsetClaim("aud");
        return sign(claims);
    }

    /** A user's real token with "admin" added to its groups afterwards: the signature no longer matches. */
    public static String escalatedToAdmin(String userToken) {
        return tampered(userToken, payload -> payload.replace("\"groups\":[\"user\"]", "\"groups\":[\"admin\",\"user\"]"));
    }

    /** A validly signed token whose payload JSON was then edited: the signature no longer matches. */
    public static String tampered(String token, UnaryOperator<String> payloadEdit) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String changed = payloadEdit.apply(payload);
        if (changed.equals(payload)) {
            throw new IllegalArgumentException("the edit changed nothing in " + payload);
        }
        return parts[0] + "." + b64(changed) + "." + parts[2];
    }

    private static String rs256(JwtClaims claims, java.security.PrivateKey signingKey, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey);
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
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

    private static RsaJsonWebKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return jwk;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
