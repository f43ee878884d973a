package io.notify.gateway.endpoint;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.notify.gateway.GatewayConfig;
import jakarta.inject.Singleton;

/**
 * Every socket's inbound rate: {@code notify.gateway.inbound-burst} frames at once,
 * {@code inbound-rate-per-second} sustained. One description for all sockets; each socket's bucket is made
 * on its first frame ({@link io.notify.gateway.routing.Session#allowInbound}). Applied to every client frame,
 * whichever path reads it ({@link NotificationSocket}, or {@link SocketAcks} off the Netty pipeline).
 */
@Singleton
public class InboundRate {

    private final Bandwidth limit;

    public InboundRate(GatewayConfig config) {
        this.limit = Bandwidth.builder().capacity(config.inboundBurst())
                .refillGreedy(config.inboundRatePerSecond(), Duration.ofSeconds(1)).build();
    }

    public Bandwidth limit() {
        return limit;
    }
}
