package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.infra.test.MovableClock;

/**
 * The quiet-hours decision (issue 25): wall-clock windows in an IANA zone, DST-correct, across midnight; urgent
 * never silent; decided for everybody once per minute of a clock passed in, and anew after a change.
 */
class QuietHoursTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final QuietHours.Window NIGHTS = new QuietHours.Window(LocalTime.of(22, 0), LocalTime.of(7, 0), BERLIN);
    final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void window_acrossMidnight_inBerlinWinterAndSummerTime() {
        // winter (CET, UTC+1): 22:00 local is 21:00 UTC, 07:00 local is 06:00 UTC
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-15T20:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-15T21:00:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-15T23:30:00Z"))).isTrue(); // 00:30 local, past midnight
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-16T05:59:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-16T06:00:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-01-16T12:00:00Z"))).isFalse();
        // summer (CEST, UTC+2): the same wall-clock window is an hour earlier in UTC
        assertThat(NIGHTS.quietAt(Instant.parse("2026-07-15T19:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-07-15T20:00:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-07-16T04:59:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-07-16T05:00:00Z"))).isFalse();
    }

    @Test
    void window_acrossTheMarchAndOctoberSwitches() {
        // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC). The night began at 22:00 CET (21:00 UTC on the
        // 28th) and ends at 07:00 CEST, which is 05:00 UTC, not 06:00
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-28T20:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-28T21:00:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-29T01:30:00Z"))).isTrue(); // 03:30 CEST, just after the switch
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-29T04:59:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-29T05:00:00Z"))).isFalse(); // 07:00 CEST
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-29T19:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-03-29T20:00:00Z"))).isTrue(); // 22:00 CEST
        // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC). Began 22:00 CEST (20:00 UTC on the 24th), ends
        // 07:00 CET (06:00 UTC): an hour longer; 02:30 local happens twice, quiet both times
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-24T19:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-24T20:00:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T00:30:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T01:30:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T05:59:00Z"))).isTrue();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T06:00:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T20:59:00Z"))).isFalse();
        assertThat(NIGHTS.quietAt(Instant.parse("2026-10-25T21:00:00Z"))).isTrue(); // 22:00 CET
    }

    @Test
    void window_withinADay() {
        QuietHours.Window lunch = new QuietHours.Window(LocalTime.of(12, 0), LocalTime.of(13, 30), ZoneId.of("Asia/Kathmandu"));
        // Kathmandu is UTC+05:45: 12:00 local is 06:15 UTC
        assertThat(lunch.quietAt(Instant.parse("2026-05-01T06:14:00Z"))).isFalse();
        assertThat(lunch.quietAt(Instant.parse("2026-05-01T06:15:00Z"))).isTrue();
        assertThat(lunch.quietAt(Instant.parse("2026-05-01T07:44:00Z"))).isTrue();
        assertThat(lunch.quietAt(Instant.parse("2026-05-01T07:45:00Z"))).isFalse();
    }

    @Test
    void windowOf_readsTheStoresShape_andIgnoresWhatItCannotRead() throws Exception {
        assertThat(QuietHours.Window.of(json.readTree("{\"start\":\"22:00\",\"end\":\"07:00\",\"timezone\":\"Europe/Berlin\"}")))
                .isEqualTo(NIGHTS);
        assertThat(QuietHours.Window.of(null)).isNull();
        assertThat(QuietHours.Window.of(json.readTree("null"))).isNull();
        assertThat(QuietHours.Window.of(json.readTree("{\"start\":\"22:00\",\"end\":\"07:00\",\"timezone\":\"Mars/Base\"}"))).isNull();
        assertThat(QuietHours.Window.of(json.readTree("{\"start\":\"22:00\",\"end\":\"22:00\",\"timezone\":\"UTC\"}"))).isNull();
    }

    @Test
    void silentFor_onlyNonUrgentNotifications_ofUsersQuietNow_decidedPerMinute_andAfterAChange() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-01-15T20:59:30Z"));
        QuietHours quiet = new QuietHours(clock);
        NotificationEvent normal = created("normal");
        NotificationEvent urgent = created("urgent");
        assertThat(quiet.silentFor(normal)).isEmpty();

        quiet.set("night-owl", NIGHTS);
        quiet.set("day-worker", new QuietHours.Window(LocalTime.of(9, 0), LocalTime.of(17, 0), BERLIN));
        assertThat(quiet.silentFor(normal)).isEmpty(); // 21:59:30 in Berlin
        clock.now = Instant.parse("2026-01-15T21:00:00Z"); // 22:00: a new minute, decided anew
        assertThat(quiet.silentFor(normal)).containsExactly("night-owl");
        assertThat(quiet.silentFor(urgent)).as("urgent is never silent").isEmpty();
        assertThat(quiet.silentFor(preferencesUpdated())).isEmpty();
        assertThat(quiet.silentFor(normal)).as("the same minute answers the same decision")
                .isSameAs(quiet.silentFor(normal));

        quiet.set("night-owl", null); // a preferences_updated that removed them: applied at once
        assertThat(quiet.silentFor(normal)).isEmpty();
        quiet.set("late", new QuietHours.Window(LocalTime.of(21, 0), LocalTime.of(23, 0), BERLIN));
        assertThat(quiet.silentFor(normal)).containsExactly("late");
    }

    NotificationEvent created(String priority) throws Exception {
        ObjectNode n = json.createObjectNode().put("id", "7d9f0e2a-61c4-4c7b-8b1e-2f4a5c6d7e8f").put("type", "info")
                .put("priority", priority);
        return new NotificationEvent("e", 1, "created", 1, null, null, n, null, null, null, null, null, null, null);
    }

    NotificationEvent preferencesUpdated() {
        return new NotificationEvent("e", 1, "preferences_updated", 1, null, null, null, null, null,
                json.createObjectNode(), null, null, null, null);
    }
}
