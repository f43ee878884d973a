package io.notify.notification.inbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.inbox")
public interface InboxConfig {

    /** Unread counting stops here (a badge shows "999+"); keeps the count fast for any inbox. */
    @WithDefault("1000")
    int unreadCountLimit();

    /** Most events one resume answers; more than that answers resync (reload the inbox). */
    @WithDefault("500")
    int resumeLimit();

    /** Notifications (and per-user events) older than this are deleted; resume from before answers resync. */
    @WithDefault("90d")
    Duration retention();

    /** How often the retention clean-up runs. */
    @WithDefault("1h")
    Duration cleanupInterval();

    /** Expired notifications are deleted this long after they expired (they are hidden at once). */
    @WithDefault("1d")
    Duration expiredGrace();

    /** How often each instance looks for snoozed notifications due to come back ({@code SnoozeWakeUps}). */
    @WithDefault("250ms")
    Duration snoozePollInterval();
}
