package io.notify.auth.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import io.notify.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The RS256 key tokens are signed with, and the public JWKS the other services verify against.
 * The key id is the RFC 7638 thumbprint, so it changes exactly when the key does.
 * <p>
 * Rotation without an outage: publish the next key first ({@code published-key-files}), wait until
 * every verifier has refreshed its JWKS, then sign with it ({@code private-key-file}) while the old
 * key stays published for one access-token lifetime, then drop the old key.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    static final String GENERATED_KEY_FILE = "jwt-private.pem";

    private final PrivateKey privateKey;
    private final RsaJsonWebKey publicJwk;
    private final List<RsaJsonWebKey> published;

    public SigningKeys(AuthConfig config) {
        this.privateKey = loadOrGenerate(config.keys());
        this.publicJwk = publicJwkOf((RSAPrivateCrtKey) privateKey);
        Map<String, RsaJsonWebKey> byKid = new LinkedHashMap<>();
        byKid.put(publicJwk.getKeyId(), publicJwk);
        for (Path file : config.keys().publishedKeyFiles().orElse(List.of())) {
            RsaJsonWebKey jwk = jwkOf(readPublicKey(file));
            byKid.putIfAbsent(jwk.getKeyId(), jwk);
        }
        this.published = List.copyOf(byKid.values());
        LOG.infof("Signing with key %s; publishing %s", publicJwk.getKeyId(), byKid.keySet());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicJwk.getRsaPublicKey();
    }

    public String keyId() {
        return publicJwk.getKeyId();
    }

    /** The JWK Set document ({@code {"keys": [...]}}) with public parts only, signing key first. */
    public Map<String, Object> jwks() {
        return Map.of("keys", published.stream().map(k -> k.toParams(OutputControlLevel.PUBLIC_ONLY)).toList());
    }

    /** The same JWK Set as JSON, for auth-service's own token verification. */
    public String jwksJson() {
        return new JsonWebKeySet(published).toJson(OutputControlLevel.PUBLIC_ONLY);
    }

    private static PrivateKey loadOrGenerate(AuthConfig.Keys keys) {
        if (keys.privateKeyFile().isPresent()) {
            return readPem(keys.privateKeyFile().get());
        }
        Path generated = keys.dir().resolve(GENERATED_KEY_FILE);
        if (Files.exists(generated)) {
            return readPem(generated);
        }
        if (!keys.generateIfMissing()) {
            throw new IllegalStateException("No JWT signing key: set notify.auth.keys.private-key-file "
                    + "(env NOTIFY_AUTH_KEYS_PRIVATE_KEY_FILE) to a PEM PKCS#8 RSA private key");
        }
        return generate(generated);
    }

    private static PrivateKey generate(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(file.getParent());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort on non-POSIX file systems
            }
            LOG.infof("Generated a development JWT signing key in %s", file);
            return pair.getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey readPem(Path file) {
        String pem = readFile(file);
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalStateException(file + " is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY)");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Invalid JWT private key " + file, e);
        }
    }

    /** A published key file: a public key (SPKI), or a private key whose public half is published. */
    private static RSAPublicKey readPublicKey(Path file) {
        String pem = readFile(file);
        if (pem.contains("BEGIN PRIVATE KEY")) {
            return publicOf((RSAPrivateCrtKey) readPem(file));
        }
        if (!pem.contains("BEGIN PUBLIC KEY")) {
            throw new IllegalStateException(file + " is neither a PEM public key nor a PKCS#8 private key");
        }
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Invalid JWT public key " + file, e);
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read JWT key " + file, e);
        }
    }

    private static byte[] der(String pem) {
        return Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    private static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey publicJwkOf(RSAPrivateCrtKey key) {
        return jwkOf(publicOf(key));
    }

    private static RsaJsonWebKey jwkOf(RSAPublicKey publicKey) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(publicKey);
        jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return jwk;
    }
}
