package io.notify.auth.login;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Sign-ins on {@code /q/metrics}: {@code notify_auth_credential_checks_total{outcome}} (password logins and
 * client-credentials grants together), {@code notify_auth_logins_total{outcome}} (password logins only: success,
 * failure, throttled), {@code notify_auth_throttle_blocks_total{key}} (attempts refused unchecked because the
 * principal's or the address's failure budget is spent), {@code notify_auth_refreshes_total{outcome}} and
 * {@code notify_auth_refresh_reuse_detections_total} (a rotated refresh token presented again: its session is
 * revoked). Every meter is registered up front, so each series is 0 before its first event.
 */
@Singleton
public class LoginMetrics {

    /** How a credential check ended. */
    public enum Outcome {
        SUCCESS, FAILURE, THROTTLED;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How a refresh ended: rotated, or refused because the token was unknown, expired, reused or its user disabled. */
    public enum RefreshOutcome {
        SUCCESS, UNKNOWN, EXPIRED, REUSED, DISABLED;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final Counter[] checks = new Counter[Outcome.values().length];
    private final Counter[] logins = new Counter[Outcome.values().length];
    private final Counter[] refreshes = new Counter[RefreshOutcome.values().length];
    private final Counter blockedByPrincipal;
    private final Counter blockedByAddress;
    private final Counter reuseDetections;

    public LoginMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            checks[outcome.ordinal()] = Counter.builder("notify.auth.credential.checks")
                    .description("Password logins and client-credentials grants, by outcome")
                    .tag("outcome", outcome.tag).register(registry);
            logins[outcome.ordinal()] = Counter.builder("notify.auth.logins")
                    .description("Password logins, by outcome").tag("outcome", outcome.tag).register(registry);
        }
        for (RefreshOutcome outcome : RefreshOutcome.values()) {
            refreshes[outcome.ordinal()] = Counter.builder("notify.auth.refreshes")
                    .description("Refresh token presentations, by outcome").tag("outcome", outcome.tag)
                    .register(registry);
        }
        blockedByPrincipal = blocks(registry, "principal");
        blockedByAddress = blocks(registry, "address");
        reuseDetections = Counter.builder("notify.auth.refresh.reuse.detections")
                .description("Rotated refresh tokens presented again (the session is revoked)").register(registry);
    }

    private static Counter blocks(MeterRegistry registry, String key) {
        return Counter.builder("notify.auth.throttle.blocks")
                .description("Credential attempts refused unchecked while a failure budget is spent, by whose budget")
                .tag("key", key).register(registry);
    }

    /** One credential check; {@code passwordLogin} false for a client-credentials grant. */
    void checked(Outcome outcome, boolean passwordLogin) {
        checks[outcome.ordinal()].increment();
        if (passwordLogin) {
            logins[outcome.ordinal()].increment();
        }
    }

    /** An attempt refused by the throttle: the principal's budget is spent ({@code true}) or the address's. */
    void blocked(boolean byPrincipal) {
        (byPrincipal ? blockedByPrincipal : blockedByAddress).increment();
    }

    void refreshed(RefreshOutcome outcome) {
        refreshes[outcome.ordinal()].increment();
        if (outcome == RefreshOutcome.REUSED) {
            reuseDetections.increment();
        }
    }
}
