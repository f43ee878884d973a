package io.notify.notification.delivery;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.delivery")
public interface DeliveryConfig {

    /**
     * A recipient of a user/users notification with no acknowledgement this long after the send is undelivered
     * ({@code NOTIFY_DELIVERY_TIMEOUT}).
     */
    @WithDefault("60s")
    Duration timeout();

    /** How often the undelivered check looks for notifications whose timeout passed. */
    @WithDefault("5s")
    Duration checkInterval();

    /** Most notifications one check transaction claims. */
    @WithDefault("200")
    int checkBatchSize();

    /** How long applied receipt batch ids are kept to recognise a redelivered batch (the retention job prunes older ones). */
    @WithDefault("1d")
    Duration batchIdRetention();

    /** How long auth-service's directory counts (the audience size of company, role and everyone sends) are reused. */
    @WithDefault("30s")
    Duration audienceCountCache();
}
