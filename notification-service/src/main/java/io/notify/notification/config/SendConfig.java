package io.notify.notification.config;

import java.net.URI;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.send")
public interface SendConfig {

    /** auth-service, asked (with the caller's own token) which users a user or service may notify. */
    URI directoryUrl();

    /** Sustained sends per minute a {@code user} token may make (admins and services are not limited). */
    @WithDefault("30")
    int userRatePerMinute();

    /** Sends a {@code user} may make in a burst before the rate applies. */
    @WithDefault("10")
    int userBurst();

    /** Sends stored in one transaction at most (group commit, see SendBatcher). */
    @WithDefault("256")
    int batchSize();

    /** Sends waiting for the writer at most; past it a send is answered 503 with Retry-After. */
    @WithDefault("10000")
    int queueCapacity();
}
