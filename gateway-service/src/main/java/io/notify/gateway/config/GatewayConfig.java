package io.notify.gateway.config;

import java.net.URI;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "notify.gateway")
public interface GatewayConfig {

    /** notification-service, called with the socket user's own token (preferences, socket actions). */
    URI storeUrl();
}
