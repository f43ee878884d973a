package io.notify.auth.login;

import io.notify.auth.user.UserAccount;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * A login with username and password, throttled per username and per client address, starting a refresh session:
 * what {@code POST /api/auth/login} (tokens in the body) and {@code POST /api/auth/session} (the refresh token in
 * an HttpOnly cookie) both do.
 */
@ApplicationScoped
public class PasswordLogin {

    private final CredentialVerifier credentials;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    public PasswordLogin(CredentialVerifier credentials, Sessions sessions, LoginThrottle throttle) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /** The new session's tokens; a 401 problem for bad credentials, a 429 when throttled. */
    public Sessions.Tokens login(String username, String password, HttpServerRequest http) {
        return throttle.attempt(username, ClientAddress.of(http), true, () -> credentials.authenticate(username, password))
                .map((UserAccount u) -> sessions.start(u.id))
                .orElseThrow(() -> HttpProblem.builder()
                        .withStatus(Response.Status.UNAUTHORIZED)
                        .withTitle("Invalid credentials")
                        .withDetail("Username or password is incorrect")
                        .withHeader("WWW-Authenticate", "Bearer")
                        .build());
    }
}
