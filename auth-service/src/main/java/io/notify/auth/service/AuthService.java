package io.notify.auth.service;

import java.util.Optional;

import io.notify.auth.persistence.UserAccount;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class AuthService {

    /**
     * Verified against when the user does not exist, so that an unknown username costs the same
     * bcrypt work as a wrong password and the two cannot be told apart by timing.
     */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password-" + System.nanoTime());

    @Transactional
    public Optional<UserAccount> authenticate(String username, String password) {
        Optional<UserAccount> user = UserAccount.findByUsername(username);
        boolean matches = BcryptUtil.matches(password, user.map(u -> u.passwordHash).orElse(DUMMY_HASH));
        return user.filter(u -> matches && u.enabled);
    }
}
