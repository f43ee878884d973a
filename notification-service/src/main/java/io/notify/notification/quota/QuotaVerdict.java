package io.notify.notification.quota;

import java.time.Duration;
import java.time.Instant;

import io.quarkiverse.resteasy.problem.HttpProblem;

/**
 * What {@link SendQuotas#take} decided: granted (every counter taken once), or refused by {@code refusedBy} (nothing
 * taken), whose {@code limit} per window is used up until {@code windowEnd}, {@code retryAfterSeconds} from the
 * database's clock (at least 1).
 */
public record QuotaVerdict(QuotaKey refusedBy, int limit, Duration window, Instant windowEnd, long retryAfterSeconds) {

    /** How the send operations document their 429 (OpenAPI), with {@link #OPENAPI_EXAMPLE} and the header. */
    public static final String OPENAPI_DESCRIPTION = "A send quota this send counts against is used up for the current "
            + "window (a minute): the company's it addresses (or its recipients' companies), the service account's, or "
            + "the user's. The problem names it (`quota`: company, service_account or user; `quota_key`; `limit` per "
            + "window; `window_seconds`); retry after `Retry-After` seconds, when the window ends.";
    public static final String OPENAPI_EXAMPLE = """
            {"type": "about:blank", "status": 429, "title": "Too Many Requests",
             "detail": "company_a's send quota of 60 per minute is used up; retry in 17 s",
             "instance": "/api/notifications", "quota": "company", "quota_key": "company_a", "limit": 60,
             "window_seconds": 60}""";
    public static final String OPENAPI_RETRY_AFTER = "Seconds until the quota window ends";

    static final QuotaVerdict GRANTED = new QuotaVerdict(null, 0, null, null, 0);

    public boolean granted() {
        return refusedBy == null;
    }

    /**
     * A send over quota answered over REST: 429 with {@code Retry-After} (seconds until the window ends) and an RFC 9457
     * body naming the quota: {@code quota} (company, service_account, user), {@code quota_key}, {@code limit} and
     * {@code window_seconds}.
     */
    public HttpProblem asProblem() {
        return HttpProblem.builder().withStatus(429).withTitle("Too Many Requests")
                .withDetail(owner() + " send quota of " + limit + " per " + per() + " is used up; retry in "
                        + retryAfterSeconds + " s")
                .withHeader("Retry-After", retryAfterSeconds)
                .with("quota", refusedBy.scope()).with("quota_key", refusedBy.key()).with("limit", limit)
                .with("window_seconds", window.toSeconds()).build();
    }

    private String owner() {
        return switch (refusedBy.scope()) {
            case SendQuotas.COMPANY -> refusedBy.key() + "'s";
            case SendQuotas.SERVICE_ACCOUNT -> "This service account's";
            default -> "Your";
        };
    }

    private String per() {
        return window.equals(Duration.ofMinutes(1)) ? "minute" : window.toMillis() % 1000 == 0
                ? window.toSeconds() + " s" : window.toMillis() + " ms";
    }
}
