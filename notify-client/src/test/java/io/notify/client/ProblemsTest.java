package io.notify.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void badRequest_isAValidationException_withEveryViolation() {
        NotifyException e = Problems.of(400, """
                {"type":"about:blank","status":400,"title":"Bad Request","detail":"title: must not be blank",
                 "instance":"/api/notifications","violations":[{"field":"title","in":"body","message":"must not be blank"},
                 {"field":"audience.user_ids[0]","in":"body","message":"size must be between 1 and 64"}]}""", null);

        assertThat(e).isInstanceOf(ValidationException.class);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.title()).isEqualTo("Bad Request");
        assertThat(e.instance()).isEqualTo("/api/notifications");
        assertThat(e.getMessage()).isEqualTo("400 Bad Request: title: must not be blank");
        assertThat(((ValidationException) e).violations()).containsExactly(
                new ValidationException.Violation("title", "body", "must not be blank"),
                new ValidationException.Violation("audience.user_ids[0]", "body", "size must be between 1 and 64"));
    }

    @Test
    void tooManyRequests_isAQuotaExceededException_withRetryAfterAndTheQuota() {
        NotifyException e = Problems.of(429, """
                {"type":"about:blank","status":429,"title":"Too Many Requests","detail":"company_a's send quota of 60 per minute is used up",
                 "quota":"company","quota_key":"company_a","limit":60,"window_seconds":60}""", "17");

        assertThat(e).isInstanceOf(QuotaExceededException.class);
        QuotaExceededException quota = (QuotaExceededException) e;
        assertThat(quota.retryAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(quota.quota()).isEqualTo("company");
        assertThat(quota.extensions()).containsEntry("quota_key", "company_a").containsEntry("limit", 60);
    }

    @Test
    void eachStatus_hasItsType_andABodyThatIsNotAProblemStillSaysSomething() {
        assertThat(Problems.of(401, "{\"title\":\"Unauthorized\"}", null)).isInstanceOf(AuthenticationException.class);
        assertThat(Problems.of(403, "", null)).isInstanceOf(ForbiddenException.class);
        assertThat(Problems.of(404, null, null)).isInstanceOf(NotFoundException.class);
        NotifyException gateway = Problems.of(502, "<html>Bad Gateway</html>", null);
        assertThat(gateway).isExactlyInstanceOf(NotifyException.class);
        assertThat(gateway.status()).isEqualTo(502);
        assertThat(gateway.detail()).isEqualTo("<html>Bad Gateway</html>");
    }

    @Test
    void retryAfter_readsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-12-06T01:00:00Z");
        assertThat(Problems.retryAfter("5", now)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Problems.retryAfter("Sun, 06 Dec 2026 01:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Problems.retryAfter("soon", now)).isNull();
        assertThat(Problems.retryAfter(null, now)).isNull();
    }
}
