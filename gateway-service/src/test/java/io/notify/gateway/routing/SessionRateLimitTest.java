package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A socket's inbound budget (notify.gateway.inbound-burst at once, inbound-rate-per-second sustained):
 * the burst is there from the first frame, the frame past it is refused and takes nothing, and the budget refills
 * with time, one frame per interval.
 */
class SessionRateLimitTest {

    @Test
    void theBurstIsAllowed_andTheNextFrameIsNot() {
        // refilled slowly, so that the test's own pace cannot add a frame to the budget
        FrameRate rate = new FrameRate(Duration.ofHours(1).toNanos(), 39 * Duration.ofHours(1).toNanos());
        Session session = new Session(null, null);
        for (int i = 0; i < 40; i++) {
            assertThat(session.allowInbound(rate)).as("frame %d of the burst", i + 1).isTrue();
        }
        assertThat(session.allowInbound(rate)).as("past the burst").isFalse();
        assertThat(session.allowInbound(rate)).as("a refused frame takes nothing, nor gives").isFalse();
    }

    @Test
    void theBudgetRefillsWithTime_oneFramePerInterval() {
        FrameRate rate = FrameRate.of(1, 20);
        Session session = new Session(null, null);
        assertThat(session.allowInbound(rate)).isTrue();
        assertThat(session.allowInbound(rate)).as("a burst of one").isFalse();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> session.allowInbound(rate));
        assertThat(session.allowInbound(rate)).as("one frame came back, not two").isFalse();
    }

    @Test
    void aRateIsItsBurstAndInterval() {
        FrameRate rate = FrameRate.of(40, 20);
        assertThat(rate.intervalNanos()).isEqualTo(50_000_000L);
        assertThat(rate.toleranceNanos()).isEqualTo(39 * 50_000_000L);
    }
}
