package io.notify.notification.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.notify.notification.Notification;

/** Notification ids are version 7 UUIDs: the creation time first, so the primary key index grows at its right edge. */
class TimeOrderedIdTest {

    @Test
    void anId_isAVersion7Uuid_carryingItsCreationMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = NotificationWriter.timeOrderedId();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
        assertThat(UUID.fromString(id.toString())).isEqualTo(id);
    }

    @Test
    void ids_areUnique_andThoseOfLaterMilliseconds_sortAfterEarlierOnes() {
        List<UUID> ids = new ArrayList<>();
        long start = System.currentTimeMillis();
        while (System.currentTimeMillis() < start + 3 || ids.size() < 10_000) {
            ids.add(NotificationWriter.timeOrderedId());
        }

        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        for (int i = 1; i < ids.size(); i++) {
            long previousMillis = ids.get(i - 1).getMostSignificantBits() >>> 16;
            long millis = ids.get(i).getMostSignificantBits() >>> 16;
            assertThat(millis).isGreaterThanOrEqualTo(previousMillis);
            if (millis > previousMillis) { // PostgreSQL orders uuids by their bytes, as this compares them
                assertThat(Long.compareUnsigned(ids.get(i).getMostSignificantBits(),
                        ids.get(i - 1).getMostSignificantBits())).isPositive();
            }
        }
    }
}
