package io.notify.gateway.routing;

import java.util.Set;

import io.notify.gateway.transport.EncodedFrame;

/**
 * The frames one event is pushed as: the usual one, encoded once and shared by every socket, and for a
 * {@code notification} to users in their quiet hours the silent one, encoded on the first such socket only (most
 * events reach nobody in quiet hours and never encode it). One per event, on the routing thread.
 */
final class EventFrames {

    private final NotificationEvent event;
    private final EventFrameEncoder encoder;
    private final EncodedFrame usual;
    private final Set<String> muting;
    private final Set<String> silent;
    private EncodedFrame silentFrame;

    EventFrames(NotificationEvent event, EventFrameEncoder encoder, EncodedFrame usual, Set<String> muting, Set<String> silent) {
        this.event = event;
        this.encoder = encoder;
        this.usual = usual;
        this.muting = muting;
        this.silent = silent;
    }

    /** The frame for {@code userId}'s sockets; null when they muted it. */
    EncodedFrame forUser(String userId) {
        if (muting.contains(userId)) {
            return null;
        }
        if (!silent.contains(userId)) {
            return usual;
        }
        if (silentFrame == null) {
            silentFrame = EncodedFrame.event(encoder.silent(event), event.occurredAt(), event.pushedNotificationId());
        }
        return silentFrame;
    }
}
