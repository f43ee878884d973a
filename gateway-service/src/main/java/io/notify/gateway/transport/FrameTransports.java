package io.notify.gateway.transport;

import org.jboss.logging.Logger;

import io.notify.gateway.GatewayConfig;
import io.notify.gateway.GatewayMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The transport {@code notify.gateway.transport} selects (netty unless told otherwise). */
@Singleton
public class FrameTransports {

    private static final Logger LOG = Logger.getLogger(FrameTransports.class);

    /** A singleton, not a client proxy: fan-out calls it for every batch of writes. */
    @Produces
    @Singleton
    FrameTransport transport(GatewayConfig config, GatewayMetrics metrics) {
        if (config.transport() == GatewayConfig.Transport.PLAIN) {
            LOG.warn("notify.gateway.transport=plain: websockets-next's public API only (slower fan-out, no outbound "
                    + "bound, no close frame on protocol errors); see PlainFrameTransport");
            return new PlainFrameTransport(metrics);
        }
        return new NettyFrameTransport(metrics, config.outboundBufferBytes());
    }
}
