package io.notify.auth.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.auth")
public interface AuthConfig {

    /** {@code iss} of every token; the verifying services expect exactly this value. */
    String issuer();

    /** {@code aud} of every token. */
    String audience();

    /** Access token lifetime in minutes (env {@code ACCESS_TOKEN_EXPIRE_MINUTES}). */
    @WithDefault("15")
    int accessTokenExpireMinutes();

    /** Create the seed's test users and companies at start-up (never in %prod). */
    @WithDefault("false")
    boolean seedTestUsers();

    Keys keys();

    interface Keys {
        /** PEM (PKCS#8) private signing key, e.g. mounted from a Kubernetes Secret. */
        Optional<Path> privateKeyFile();

        /** Where a generated development key pair is kept across restarts. */
        Path dir();

        /** Generate and keep a key pair in {@link #dir()} when no key file is configured. */
        @WithDefault("false")
        boolean generateIfMissing();
    }
}
