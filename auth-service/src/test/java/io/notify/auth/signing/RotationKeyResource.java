package io.notify.auth.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A second key generated at test time and published next to the signing key, as during a rotation
 * (never stored in git).
 */
public class RotationKeyResource implements QuarkusTestResourceLifecycleManager {

    static final Path NEXT_KEY = Path.of("target/test-keys/next-key.pem");

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createDirectories(NEXT_KEY.getParent());
            Files.writeString(NEXT_KEY, pem);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("notify.auth.keys.published-key-files", NEXT_KEY.toString());
    }

    @Override
    public void stop() {
        // kept for the JVM; target/ is not in git
    }
}
