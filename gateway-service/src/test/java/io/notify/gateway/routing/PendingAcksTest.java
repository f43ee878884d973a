package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * What a socket keeps for its acks: only the ids pushed to it and not acknowledged yet, nothing at all once
 * it acknowledged everything, and at most {@link Session#PENDING_ACKS_BOUND} ids (the oldest forgotten).
 */
class PendingAcksTest {

    static List<UUID> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
    }

    @Test
    void anIdleSocketThatAcknowledgedEverything_holdsNothingForIt() {
        Session session = new Session(null, null);
        assertThat(session.holdsPendingAcks()).isFalse();
        List<UUID> pushed = ids(10);
        pushed.forEach(session::pushed);
        assertThat(session.pendingAcks()).isEqualTo(10);
        assertThat(session.holdsPendingAcks()).isTrue();
        // out of order, as a client batching frames may
        for (int i = pushed.size() - 1; i >= 0; i -= 2) {
            assertThat(session.acknowledge(pushed.get(i))).isTrue();
        }
        for (int i = 0; i < pushed.size(); i += 2) {
            assertThat(session.acknowledge(pushed.get(i))).isTrue();
        }
        assertThat(session.pendingAcks()).isZero();
        assertThat(session.holdsPendingAcks()).as("the structure is released").isFalse();
    }

    @Test
    void anIdIsAcknowledgedOnce_andOnlyIfPushedHere() {
        Session session = new Session(null, null);
        UUID id = UUID.randomUUID();
        assertThat(session.acknowledge(id)).isFalse();
        session.pushed(id);
        assertThat(session.acknowledge(UUID.randomUUID())).isFalse();
        assertThat(session.acknowledge(id)).isTrue();
        assertThat(session.acknowledge(id)).isFalse();
    }

    @Test
    void pastTheBound_theOldestIsForgotten_andTheRestStayInOrder() {
        Session session = new Session(null, null);
        int bound = Session.PENDING_ACKS_BOUND;
        List<UUID> pushed = ids(bound + 3);
        int forgotten = 0;
        for (UUID id : pushed) {
            forgotten += session.pushed(id) ? 1 : 0;
        }
        assertThat(forgotten).isEqualTo(3);
        assertThat(session.pendingAcks()).isEqualTo(bound);
        for (int i = 0; i < 3; i++) {
            assertThat(session.acknowledge(pushed.get(i))).as("forgotten %d", i).isFalse();
        }
        // acknowledging from the middle keeps the others
        assertThat(session.acknowledge(pushed.get(100))).isTrue();
        for (int i = 3; i < pushed.size(); i++) {
            assertThat(session.acknowledge(pushed.get(i))).as("id %d", i).isEqualTo(i != 100);
        }
        assertThat(session.holdsPendingAcks()).isFalse();
    }

    @Test
    void theRingGrowsFromAFewIds() {
        PendingAcks acks = new PendingAcks();
        assertThat(acks.capacity()).isEqualTo(4);
        List<UUID> pushed = ids(5);
        // wrap the ring before growing: two in, two out, then five
        acks.add(pushed.get(0), 256);
        acks.add(pushed.get(1), 256);
        acks.remove(pushed.get(0));
        acks.remove(pushed.get(1));
        pushed.forEach(id -> acks.add(id, 256));
        assertThat(acks.capacity()).isEqualTo(8);
        pushed.forEach(id -> assertThat(acks.contains(id)).isTrue());
    }

    /** Any mix of pushes and acks, in and out of order, across the ring's wrap and growth, matches a plain list. */
    @Test
    void anyMixOfPushesAndAcks_keepsExactlyThePendingIds() {
        java.util.Random random = new java.util.Random(14);
        PendingAcks acks = new PendingAcks();
        java.util.List<UUID> model = new java.util.ArrayList<>();
        List<UUID> known = ids(400);
        for (int step = 0; step < 20_000; step++) {
            UUID id = known.get(random.nextInt(known.size()));
            if (random.nextInt(3) > 0) {
                boolean dropped = acks.add(id, 64);
                model.add(id);
                assertThat(dropped).isEqualTo(model.size() > 64);
                if (model.size() > 64) {
                    model.remove(0);
                }
            } else {
                // the model removes the newest occurrence, as the ring does
                int at = model.lastIndexOf(id);
                assertThat(acks.remove(id)).isEqualTo(at >= 0);
                if (at >= 0) {
                    model.remove(at);
                }
            }
            assertThat(acks.size()).isEqualTo(model.size());
        }
        for (UUID id : known) {
            assertThat(acks.contains(id)).isEqualTo(model.contains(id));
        }
        // and emptied in the order the model holds them, each found where the model says
        for (int i = model.size() - 1; i >= 0; i--) {
            assertThat(acks.remove(model.get(i))).isTrue();
        }
        assertThat(acks.size()).isZero();
    }
}
