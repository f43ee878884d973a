package io.notify.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** Create the seed's test users, companies and service account at start-up (never in %prod). */
    @WithDefault("false")
    boolean seedTestUsers();

    Keys keys();

    Refresh refresh();

    Throttle throttle();

    Password password();

    Gateway gateway();

    SessionCookie sessionCookie();

    interface Keys {
        /** PEM (PKCS#8) private signing key, e.g. mounted from a Kubernetes Secret. */
        Optional<Path> privateKeyFile();

        /**
         * Further keys published in the JWKS but never used to sign: the next key before a rotation,
         * the previous one after it. PEM files holding a public key (SPKI) or a PKCS#8 private key.
         */
        Optional<List<Path>> publishedKeyFiles();

        /** Where a generated development key pair is kept across restarts. */
        Path dir();

        /** Generate and keep a key pair in {@link #dir()} when no key file is configured. */
        @WithDefault("false")
        boolean generateIfMissing();
    }

    interface Refresh {
        /** How long one refresh token stays usable (idle timeout of a session). */
        @WithDefault("P7D")
        Duration tokenLifetime();

        /** Absolute session lifetime: after this the user logs in again, whatever the refreshes. */
        @WithDefault("P30D")
        Duration sessionLifetime();
    }

    interface Throttle {
        /** Failed attempts per username (or client id) within {@link #window()} before 429. */
        @WithDefault("5")
        int maxFailuresPerUsername();

        /** Failed attempts per client address within {@link #window()} before 429. */
        @WithDefault("20")
        int maxFailuresPerAddress();

        /** Fixed window the failures are counted in; a blocked key is free again when it ends. */
        @WithDefault("PT15M")
        Duration window();
    }

    interface Password {
        @WithDefault("10")
        int minLength();
    }

    /** The WebSocket gateways' own client ({@code GatewayClient}): not a service account of any company. */
    interface Gateway {
        /**
         * The secret the gateways authenticate with (env {@code NOTIFY_GATEWAY_CLIENT_SECRET}, the same value given
         * to every gateway); without it, no gateway gets a token and gateways push every type a user muted.
         */
        Optional<String> clientSecret();
    }

    /** The browser session's refresh token cookie ({@code /api/auth/session}: HttpOnly, SameSite=Strict). */
    interface SessionCookie {
        /**
         * Whether the cookie is marked {@code Secure} (sent over HTTPS only). Browsers treat http://localhost as secure;
         * turn it off only for a plain-HTTP origin that is not localhost (env {@code NOTIFY_AUTH_SESSION_COOKIE_SECURE}).
         */
        @WithDefault("true")
        boolean secure();
    }
}
