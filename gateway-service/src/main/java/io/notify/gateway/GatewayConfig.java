package io.notify.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notify.gateway")
public interface GatewayConfig {

    /** How frames reach the sockets (see io.notify.gateway.transport.FrameTransport). */
    enum Transport {
        /** Straight to the Netty channels, encoded once per event (reaches websockets-next/Vert.x internals). */
        NETTY,
        /** websockets-next's public API only: the fallback when an upgrade breaks those internals. */
        PLAIN
    }

    /** {@code netty} (fast; the default) or {@code plain} (public API only). */
    @WithDefault("netty")
    Transport transport();

    /**
     * notification-service, called with the gateway's own token: for the socket's user (socket actions, resume; the
     * user named in {@code Notify-Acting-For}) and for the muted types of many users.
     */
    URI storeUrl();

    /**
     * auth-service's base URL (env {@code NOTIFY_AUTH_URL}), where the gateway gets its own token for every call to the
     * store ({@code quarkus.oidc-client.*}; client.PreferenceLoads, client.NotificationStoreClient, client.TopicsClient).
     */
    URI authUrl();

    /** The largest message a client may send (mirrors quarkus.websockets-next.server.max-message-size). */
    @io.smallrye.config.WithName("max-message-size")
    @WithDefault("65536")
    int maxMessageSize();

    /** Sockets one user may hold on one instance (tabs, devices); the next one is closed with 1008. */
    @WithDefault("10")
    int maxSocketsPerUser();

    /** Frames per second a socket may send, sustained. */
    @WithDefault("20")
    int inboundRatePerSecond();

    /** Frames a socket may send in a burst. */
    @WithDefault("40")
    int inboundBurst();

    /** Frames over the limit answered with {@code rate_limited} before the socket is closed (1008). */
    @WithDefault("20")
    int floodTolerance();

    /**
     * Bytes written to a socket but not yet taken by the network; past it the client is too slow:
     * closed with 1013 (it reconnects and resumes). Bounds each socket's share of the heap.
     */
    @WithDefault("262144")
    int outboundBufferBytes();

    /** How often the server pings each socket (browsers answer by themselves): what keeps idle ones heard. */
    @WithDefault("25s")
    Duration pingInterval();

    /** A socket that sent nothing (not even a pong to the server's pings) for this long is closed. */
    @WithDefault("75s")
    Duration idleTimeout();

    /** On shutdown every socket gets {@code reconnect} with a delay spread over this window, then is closed. */
    @WithDefault("10s")
    Duration drainSpread();

    /** Which instance this is, in the receipts it publishes: {@code HOSTNAME} (the pod's name in k8s) when unset. */
    Optional<String> instance();

    /** Delivery receipts: the {@code ack} frames of the sockets, aggregated and published on notification-receipts. */
    Receipts receipts();

    interface Receipts {
        /** How long acks are collected before each notification's receipts are published (one record per window). */
        @WithDefault("250ms")
        Duration window();

        /**
         * Bytes of receipt records handed to Kafka and not acknowledged yet, at most: past it (Kafka slow or
         * down) the next records are dropped and counted, instead of growing the heap.
         */
        @WithDefault("8388608")
        int maxInFlightBytes();
    }
}
