package io.notify.gateway.routing;

/**
 * An inbound frame rate: {@code burst} frames at once, then {@code perSecond} sustained, the budget refilling
 * continuously (a token bucket of {@code burst} filled at {@code perSecond}). Kept per socket as one {@code long}
 * ({@link Session#allowInbound}: the generic cell rate algorithm), not as a bucket object: every socket that receives
 * notifications sends frames (its acks), so every such socket would hold one.
 *
 * @param intervalNanos the time one frame's budget takes to come back
 * @param toleranceNanos how far ahead of now a socket's next frame time may be: {@code burst - 1} intervals
 */
public record FrameRate(long intervalNanos, long toleranceNanos) {

    public static FrameRate of(int burst, int perSecond) {
        if (burst < 1 || perSecond < 1) {
            throw new IllegalArgumentException("an inbound rate needs a burst and a rate of at least 1, not " + burst + " and "
                    + perSecond);
        }
        long interval = 1_000_000_000L / perSecond;
        return new FrameRate(interval, (burst - 1) * interval);
    }
}
