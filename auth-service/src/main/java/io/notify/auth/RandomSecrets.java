package io.notify.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque secrets handed out once: refresh tokens and service-account client secrets. 256 random
 * bits, URL-safe Base64 without padding.
 * <p>
 * The native executable initializes this class at run time
 * ({@code quarkus.native.additional-build-args}): a {@link SecureRandom} created at build time would
 * be frozen into the image with its seed.
 */
public final class RandomSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSecrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
