package io.notify.client;

import java.time.Duration;
import java.util.Map;

/**
 * 429: a send quota is used up for this window ({@link #quota()}: {@code company}, {@code service_account} or
 * {@code user}); try again after {@link #retryAfter()}. The client retries by itself while that wait is within its
 * {@code maxRetryAfter}.
 */
public class QuotaExceededException extends NotifyException {

    private final Duration retryAfter;

    public QuotaExceededException(String type, String title, String detail, String instance,
            Map<String, Object> extensions, Duration retryAfter) {
        super(429, type, title, detail, instance, extensions);
        this.retryAfter = retryAfter;
    }

    /** From {@code Retry-After}; null when the answer had none. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public String quota() {
        Object q = extensions().get("quota");
        return q == null ? null : q.toString();
    }
}
