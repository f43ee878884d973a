package io.notify.auth.login;

import java.util.Optional;

import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.user.UserAccount;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Checks passwords and client secrets; unknown names cost the same bcrypt work as wrong secrets. */
@ApplicationScoped
public class CredentialVerifier {

    /**
     * Verified against when the user does not exist, so that an unknown username costs the same
     * bcrypt work as a wrong password and the two cannot be told apart by timing.
     */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password-" + System.nanoTime());

    @Transactional
    public Optional<UserAccount> authenticate(String username, String password) {
        Optional<UserAccount> user = UserAccount.findByUsername(username);
        boolean matches = matches(password, user.map(u -> u.passwordHash));
        return user.filter(u -> matches && u.enabled);
    }

    /** The service account, with its companies loaded, when the secret matches and it is enabled. */
    @Transactional
    public Optional<ServiceAccount> authenticateClient(String clientId, String secret) {
        Optional<ServiceAccount> account = ServiceAccount.findByClientId(clientId);
        boolean matches = matches(secret, account.map(a -> a.secretHash));
        return account.filter(a -> matches && a.enabled);
    }

    /** Always runs bcrypt, against a dummy hash when there is no account. */
    private static boolean matches(String secret, Optional<String> hash) {
        return BcryptUtil.matches(secret, hash.orElse(DUMMY_HASH));
    }
}
