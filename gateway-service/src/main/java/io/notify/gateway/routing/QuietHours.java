package io.notify.gateway.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The quiet hours of the connected users who have some (issue 25): during them a notification that is not urgent is
 * pushed with {@code "silent": true} (the clients show no toast). Learnt with the muted types, by the same batched load
 * and the same {@code preferences_updated} events ({@link MutedTypes} hands them here).
 *
 * <p>Fan-out is the hot path: which users are quiet is decided for everybody at once, at most once per minute of
 * the clock (and after any change), not per socket and frame: {@link #silentFor} answers a set that a socket's check
 * looks its user up in, as for muted types. A minute is exact: windows are whole minutes of wall-clock time, and
 * every zone's offset today is a whole number of minutes, so a window opens and closes on a minute of UTC.
 */
@Singleton
public class QuietHours {

    private static final long MINUTE = 60_000;

    /** A window of wall-clock time in a zone; across midnight when {@code end} is before {@code start}. */
    public record Window(LocalTime start, LocalTime end, ZoneId zone) {

        /** Whether {@code instant} falls in the window, in the zone's time at that instant (DST included). */
        public boolean quietAt(Instant instant) {
            LocalTime local = LocalTime.ofInstant(instant, zone);
            return start.isBefore(end)
                    ? !local.isBefore(start) && local.isBefore(end)
                    : !local.isBefore(start) || local.isBefore(end);
        }

        /** From the store's {@code quiet_hours} ({@code start}, {@code end} as HH:mm, {@code timezone}); null when absent or unreadable. */
        public static Window of(JsonNode quiet) {
            if (quiet == null || !quiet.isObject()) {
                return null;
            }
            try {
                Window w = new Window(LocalTime.parse(quiet.path("start").asText()), LocalTime.parse(quiet.path("end").asText()),
                        ZoneId.of(quiet.path("timezone").asText()));
                return w.start.equals(w.end) ? null : w;
            } catch (RuntimeException e) { // the store validates: a window it did not is not guessed at
                return null;
            }
        }
    }

    /** Who is quiet in {@code minute}, as decided for state {@code version}. */
    private record Decided(long minute, long version, Set<String> quiet) {
    }

    private final Clock clock;
    private final Map<String, Window> byUser = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile Decided decided = new Decided(Long.MIN_VALUE, -1, Set.of());

    @Inject
    public QuietHours() {
        this(Clock.systemUTC());
    }

    public QuietHours(Clock clock) {
        this.clock = clock;
    }

    /** Sets (or with null removes) {@code userId}'s window. */
    public void set(String userId, Window window) {
        if (window == null ? byUser.remove(userId) != null : !window.equals(byUser.put(userId, window))) {
            version.incrementAndGet();
        }
    }

    /**
     * The users to push {@code event} to silently: nobody unless it pushes a notification (a new one, or a snoozed one
     * back) that is not urgent; then the users whose quiet hours cover now.
     */
    public Set<String> silentFor(NotificationEvent event) {
        if (byUser.isEmpty() || !event.pushesNotification()
                || "urgent".equals(event.notification().path("priority").asText())) {
            return Set.of();
        }
        return quietNow();
    }

    /** The users whose quiet hours cover now: decided anew only when the minute or a window changed. */
    public Set<String> quietNow() {
        long minute = Math.floorDiv(clock.millis(), MINUTE);
        long at = version.get();
        Decided d = decided;
        if (d.minute != minute || d.version != at) {
            Instant now = Instant.ofEpochMilli(minute * MINUTE);
            Set<String> quiet = new HashSet<>();
            byUser.forEach((user, window) -> {
                if (window.quietAt(now)) {
                    quiet.add(user);
                }
            });
            d = new Decided(minute, at, Set.copyOf(quiet));
            decided = d; // a race only decides twice
        }
        return d.quiet;
    }
}
