package io.notify.auth.user;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.notify.auth.AuthConfig;
import io.notify.auth.ClientErrors;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Length-based policy in the spirit of NIST SP 800-63B: a minimum length, no composition rules,
 * and at most 72 UTF-8 bytes because bcrypt ignores everything after that. The password may not
 * contain the username. The seeded test users predate the policy and are exempt (never in %prod).
 */
@ApplicationScoped
public class PasswordPolicy {

    static final int BCRYPT_MAX_BYTES = 72;

    private final int minLength;

    public PasswordPolicy(AuthConfig config) {
        this.minLength = config.password().minLength();
    }

    /** The bcrypt hash of an acceptable password; a 400 naming {@code field} otherwise. */
    public String hash(String password, String username, String field) {
        if (password.codePointCount(0, password.length()) < minLength) {
            throw ClientErrors.invalidBodyField(field, "must be at least " + minLength + " characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            throw ClientErrors.invalidBodyField(field, "must be at most " + BCRYPT_MAX_BYTES + " bytes (UTF-8) long");
        }
        if (password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            throw ClientErrors.invalidBodyField(field, "must not contain the username");
        }
        return BcryptUtil.bcryptHash(password);
    }
}
