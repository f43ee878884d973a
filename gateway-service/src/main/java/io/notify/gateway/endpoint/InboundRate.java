package io.notify.gateway.endpoint;

import io.notify.gateway.GatewayConfig;
import io.notify.gateway.routing.FrameRate;
import jakarta.inject.Singleton;

/**
 * Every socket's inbound rate: {@code notify.gateway.inbound-burst} frames at once,
 * {@code inbound-rate-per-second} sustained. One description for all sockets; each socket keeps its budget in
 * one field ({@link io.notify.gateway.routing.Session#allowInbound}). Applied to every client frame,
 * whichever path reads it ({@link NotificationSocket}, or {@link SocketAcks} off the Netty pipeline).
 */
@Singleton
public class InboundRate {

    private final FrameRate limit;

    public InboundRate(GatewayConfig config) {
        this.limit = FrameRate.of(config.inboundBurst(), config.inboundRatePerSecond());
    }

    public FrameRate limit() {
        return limit;
    }
}
