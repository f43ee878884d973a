package io.notify.notification.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.outbox")
public interface OutboxConfig {

    /** How often the relay looks for entries a crash or a Kafka outage left behind. */
    @WithDefault("1s")
    java.time.Duration pollInterval();

    /** Most entries relayed per transaction. */
    @WithDefault("500")
    int batchSize();
}
