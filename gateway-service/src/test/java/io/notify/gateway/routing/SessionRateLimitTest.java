package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.bucket4j.Bandwidth;

/**
 * A socket's inbound budget (notify.gateway.inbound-burst at once, inbound-rate-per-second sustained):
 * the burst is there from the first frame, the frame past it is refused, and the budget refills with time.
 */
class SessionRateLimitTest {

    @Test
    void theBurstIsAllowed_andTheNextFrameIsNot() {
        // refilled slowly, so that the test's own pace cannot add a frame to the budget
        Bandwidth limit = Bandwidth.builder().capacity(40).refillGreedy(20, Duration.ofHours(1)).build();
        Session session = new Session(null, null, "token");
        for (int i = 0; i < 40; i++) {
            assertThat(session.allowInbound(limit)).as("frame %d of the burst", i + 1).isTrue();
        }
        assertThat(session.allowInbound(limit)).as("past the burst").isFalse();
    }

    @Test
    void theBudgetRefillsWithTime() {
        Bandwidth limit = Bandwidth.builder().capacity(1).refillGreedy(20, Duration.ofSeconds(1)).build();
        Session session = new Session(null, null, "token");
        assertThat(session.allowInbound(limit)).isTrue();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> session.allowInbound(limit));
    }
}
