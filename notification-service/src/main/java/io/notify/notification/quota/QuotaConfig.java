package io.notify.notification.quota;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The default send quotas (a {@code send_quotas} row overrides the first two per company / service account). */
@ConfigMapping(prefix = "notify.send")
public interface QuotaConfig {

    /** Sends per window counted against one company (its company and role audiences, its users as recipients). */
    @WithDefault("6000")
    int companyQuotaPerMinute();

    /** Sends per window one service account (its token's {@code sub}) may make over REST. */
    @WithDefault("3000")
    int serviceAccountQuotaPerMinute();

    /** Sends per window one {@code user} token (its {@code sub}) may make; admins are not limited by it. */
    @WithDefault("30")
    int userRatePerMinute();

    /**
     * The length of a quota window: the limits above (and the overrides) are per window. A minute in production, as
     * their names say; shorter only so that tests need not wait a minute.
     */
    @WithDefault("1m")
    Duration quotaWindow();
}
