package io.notify.notification.send;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.send")
public interface SendConfig {

    /**
     * auth-service, asked (with the caller's own token) which users a user or service may notify. Read by the
     * directory's REST client ({@code quarkus.rest-client.directory.url}, see identity/DirectoryApi).
     */
    URI directoryUrl();

    /** Sends stored in one transaction at most (group commit, see SendBatcher). */
    @WithDefault("256")
    int batchSize();

    /**
     * The least time between the starts of two batches. A batch costs PostgreSQL about the same whatever
     * it holds (a commit, a flush, a round trip): under load, sends that arrive while the last batch is
     * still fresh wait for the next one, so that batches grow instead of multiplying. A send after a
     * quieter moment is written at once. Zero writes whatever is queued as soon as the writer is free.
     */
    @WithDefault("3ms")
    Duration minBatchInterval();

    /** Sends waiting for the writer at most; past it a send is answered 503 with Retry-After. */
    @WithDefault("10000")
    int queueCapacity();

    /**
     * How often the Kafka requests kept over their company's quota are looked at (see DeferredSends): a due one waits
     * at most this long past its window's start.
     */
    @WithDefault("1s")
    Duration deferredPollInterval();

    /**
     * How often each instance looks for due scheduled sends (see ScheduledSends): a due one is stored at most this
     * long (plus a group commit) after its {@code send_at}.
     */
    @WithDefault("250ms")
    Duration scheduledPollInterval();
}
