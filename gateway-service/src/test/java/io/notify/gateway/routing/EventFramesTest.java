package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.transport.EncodedFrame;
import io.notify.infra.contract.Contracts;

/**
 * The frames of one event on the fan-out path: the usual frame shared by every socket, the silent one (quiet hours)
 * encoded at most once and only when a user in quiet hours is addressed, muted users skipped; the silent frame is
 * the contract's {@code notification} frame with {@code silent: true}.
 */
class EventFramesTest {

    final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    final AtomicInteger usualEncodings = new AtomicInteger();
    final AtomicInteger silentEncodings = new AtomicInteger();
    final EventFrameEncoder encoder = new EventFrameEncoder(json) {
        @Override
        public String forEvent(NotificationEvent event) {
            usualEncodings.incrementAndGet();
            return super.forEvent(event);
        }

        @Override
        public String silent(NotificationEvent event) {
            silentEncodings.incrementAndGet();
            return super.silent(event);
        }
    };

    NotificationEvent created() throws Exception {
        return json.readValue(Contracts.sample("notification-event-created.json"), NotificationEvent.class);
    }

    @Test
    void silentVariant_encodedOnce_forManyQuietSockets_andUsualOneSharedByTheRest() throws Exception {
        NotificationEvent event = created();
        EncodedFrame usual = EncodedFrame.event(encoder.forEvent(event), event.occurredAt(), event.pushedNotificationId());
        EventFrames frames = new EventFrames(event, encoder, usual, Set.of("muter"), Set.of("owl", "bat"));

        assertThat(frames.forUser("awake")).isSameAs(usual);
        EncodedFrame silent = frames.forUser("owl");
        assertThat(silent).isNotSameAs(usual);
        for (int socket = 0; socket < 50; socket++) {
            assertThat(frames.forUser("owl")).isSameAs(silent);
            assertThat(frames.forUser("bat")).isSameAs(silent);
            assertThat(frames.forUser("awake")).isSameAs(usual);
        }
        assertThat(frames.forUser("muter")).isNull();
        assertThat(usualEncodings).hasValue(1);
        assertThat(silentEncodings).hasValue(1);
    }

    @Test
    void nobodyQuiet_neverEncodesTheSilentVariant() throws Exception {
        NotificationEvent event = created();
        EncodedFrame usual = EncodedFrame.event(encoder.forEvent(event), event.occurredAt(), event.pushedNotificationId());
        EventFrames frames = new EventFrames(event, encoder, usual, Set.of("muter"), Set.of());
        for (int socket = 0; socket < 50; socket++) {
            assertThat(frames.forUser("user-" + socket)).isSameAs(usual);
        }
        assertThat(silentEncodings).hasValue(0);
    }

    @Test
    void silentFrame_isTheNotificationFrameWithSilentTrue_andTheUsualOneHasNoSilent() throws Exception {
        NotificationEvent event = created();
        String usual = encoder.forEvent(event);
        String silent = encoder.silent(event);
        assertThat(Contracts.validate("NotificationFrame", usual)).isEmpty();
        assertThat(Contracts.validate("NotificationFrame", silent)).isEmpty();
        assertThat(json.readTree(usual).has("silent")).isFalse();
        JsonNode quiet = json.readTree(silent);
        assertThat(quiet.path("silent").asBoolean()).isTrue();
        ((com.fasterxml.jackson.databind.node.ObjectNode) quiet).remove("silent");
        assertThat(quiet).isEqualTo(json.readTree(usual));
    }
}
