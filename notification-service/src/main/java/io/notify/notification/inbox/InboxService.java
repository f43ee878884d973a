package io.notify.notification.inbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.notification.Notification;
import io.notify.notification.NotificationView;
import io.notify.notification.Preferences;
import io.notify.notification.QuietHours;
import io.notify.notification.actions.ActionService;
import io.notify.notification.delivery.Receipts;
import io.notify.notification.identity.Caller;
import io.notify.notification.outbox.NotificationEvent;
import io.notify.notification.outbox.SequencedOutbox;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

/**
 * A reader's view and state: inbox pages, unread and unseen counts, read / read-all / seen / archive / snooze / delete,
 * preferences and resume. Every state change is one small write plus an event in the global sequence, published
 * through the outbox so that every tab and device of the user converges.
 */
@ApplicationScoped
public class InboxService {

    /** The seed's notification types; any other lower_snake_case type is accepted too. */
    public static final List<String> KNOWN_TYPES = List.of("general", "meeting", "meeting_response",
            "meeting_invitation", "meeting_scheduled", "action_item", "approval", "mom_created", "info", "warning",
            "error", "success");
    private static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");

    private final InboxQueries inbox;
    private final SequencedOutbox events;
    private final EntityManager em;
    private final ObjectMapper json;
    private final InboxConfig config;
    private final Receipts receipts;
    private final ActionService actions;

    public InboxService(InboxQueries inbox, SequencedOutbox events, EntityManager em, ObjectMapper json, InboxConfig config,
            Receipts receipts, ActionService actions) {
        this.actions = actions;
        this.inbox = inbox;
        this.receipts = receipts;
        this.events = events;
        this.em = em;
        this.json = json;
        this.config = config;
    }

    /** Where a page starts; see {@link #page}. */
    public record Cursor(boolean urgentPhase, long beforeSeq) {
    }

    /**
     * A page, newest first. With {@code urgentFirst} the urgent notifications come first (newest
     * first), then the others: the cursor remembers which of the two runs it is in.
     */
    @Transactional
    public InboxPage page(Caller reader, String cursor, int limit, InboxQueries.Filter filter, boolean urgentFirst) {
        Cursor at = parseCursor(cursor, urgentFirst);
        List<NotificationView> rows = new ArrayList<>();
        boolean urgentPhase = at.urgentPhase();
        long before = at.beforeSeq();
        if (urgentPhase && filter.priorities() != null && !filter.priorities().contains("urgent")) {
            urgentPhase = false; // the filter leaves no urgent ones to put first
        }
        if (urgentPhase) {
            rows.addAll(inbox.page(reader, before, limit, withPriorities(filter, Set.of("urgent"))));
            if (rows.size() < limit) {
                urgentPhase = false;
                before = Long.MAX_VALUE;
            }
        }
        if (!urgentPhase) {
            InboxQueries.Filter rest = urgentFirst ? withPriorities(filter, withoutUrgent(filter.priorities())) : filter;
            if (rest.priorities() == null || !rest.priorities().isEmpty()) {
                rows.addAll(inbox.page(reader, before, limit - rows.size(), rest));
            }
        }
        List<NotificationView> items = actions.withCompletions(reader.userId(), rows);
        String next = null;
        if (items.size() == limit) {
            boolean lastIsUrgentPhase = urgentFirst && urgentPhase;
            next = (urgentFirst ? (lastIsUrgentPhase ? "u" : "r") : "n") + items.get(items.size() - 1).seq();
        }
        return new InboxPage(items, next);
    }

    /**
     * The newest notification with this external id (the sender's own id) in the reader's inbox (archived ones
     * included), with its read
     * state; else the newest one the caller sent with it (a sender looking up its own, no read state); else a
     * 404 problem. Never anyone else's: another sender's ids are only seen by those they addressed.
     */
    @Transactional
    public NotificationView byExternalId(Caller caller, String externalId) {
        InboxQueries.Filter listed = InboxQueries.Filter.externalId(externalId);
        List<NotificationView> addressed = new ArrayList<>(inbox.page(caller, Long.MAX_VALUE, 1, listed));
        addressed.addAll(inbox.page(caller, Long.MAX_VALUE, 1, new InboxQueries.Filter(false, null, null, null, true, externalId)));
        if (!addressed.isEmpty()) { // the newest, listed or archived
            addressed.sort(Comparator.comparingLong(NotificationView::seq).reversed());
            return actions.withCompletions(caller.userId(), addressed.subList(0, 1)).get(0);
        }
        Notification sent = caller.userId() == null ? null : inbox.newestSentWithExternalId(caller.userId(), externalId);
        if (sent == null) {
            throw HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                    .withDetail("No notification with external_id " + externalId + " in your inbox or sent by you")
                    .build();
        }
        return NotificationView.of(sent, List.of()).forReader(null);
    }

    @Transactional
    public UnreadCount unreadCount(Caller reader) {
        int cap = config.unreadCountLimit();
        InboxQueries.Counts counted = inbox.unreadCounts(reader, mutedTypes(reader.userId()), cap);
        Map<String, Long> byPriority = new LinkedHashMap<>();
        PRIORITIES.forEach(p -> byPriority.put(p, counted.unreadByPriority().getOrDefault(p, 0L)));
        long total = byPriority.values().stream().mapToLong(Long::longValue).sum();
        return new UnreadCount(total, byPriority, total >= cap, counted.unseen());
    }

    /** Marks one notification read; answers 404 for a notification not in the reader's inbox. */
    @Transactional
    public void markRead(Caller reader, UUID id) {
        Notification n = visible(reader, id);
        if (isRead(reader.userId(), n.seq)) {
            return; // nothing changes, nothing to tell the other tabs
        }
        // read_users and the engagement event, before the sequence lock: every send waits while a read holds it
        receipts.read(reader.userId(), reader.company(), List.of(id));
        long seq = events.nextSeq();
        upsertMark(reader.userId(), n, "read");
        events.appendUserEvent(reader.userId(), NotificationEvent.read(reader.userId(), seq, SequencedOutbox.now(), id));
    }

    /**
     * Marks everything up to {@code upTo} (default: everything so far) read with one write: the
     * user's read watermark. Returns the watermark.
     *
     * <p>
     * Delivery statistics count a read for each notification that was unread for the reader in that range: the
     * same set the unread count counts (muted types left out, except urgent ones), so at most
     * {@code notify.inbox.unread-count-limit} (1,000) of them, the newest. Older unread ones are marked read by the
     * watermark all the same but are not counted as read by this user. They are counted before the sequence lock is
     * taken (up to 1,000 rows must not stall every send), so a notification committed in between is read by the
     * watermark without being counted.
     */
    @Transactional
    public long markAllRead(Caller reader, Long upTo) {
        receipts.read(reader.userId(), reader.company(), inbox.unreadIds(reader, upTo != null ? upTo : Long.MAX_VALUE,
                mutedTypes(reader.userId()), config.unreadCountLimit()));
        long seq = events.nextSeq();
        long target = upTo != null ? Math.min(upTo, seq) : seq;
        long watermark = raiseWatermark(reader.userId(), "read_up_to", target);
        // a resurfaced one is unread under the watermark by its mark: read-all reads it too
        em.createNativeQuery("UPDATE inbox_marks SET read = true WHERE user_id = :user AND resurfaced AND NOT read"
                + " AND NOT deleted AND seq <= :upTo")
                .setParameter("user", reader.userId()).setParameter("upTo", watermark).executeUpdate();
        events.appendUserEvent(reader.userId(),
                NotificationEvent.allRead(reader.userId(), seq, SequencedOutbox.now(), watermark));
        return watermark;
    }

    /**
     * Marks everything up to {@code upTo} (default: everything so far) seen with one write: the user's seen
     * watermark, which the unseen count (the bell's badge) starts above. Seen is not read. Returns the watermark;
     * when it already covers {@code upTo} nothing is written and no event is sent (opening the inbox twice is free).
     */
    @Transactional
    public long markAllSeen(Caller reader, Long upTo) {
        long current = seenUpTo(reader.userId());
        if (current >= (upTo != null ? upTo : events.lastCommittedSeq())) {
            return current;
        }
        long seq = events.nextSeq();
        long target = upTo != null ? Math.min(upTo, seq) : seq;
        long watermark = raiseWatermark(reader.userId(), "seen_up_to", target);
        events.appendUserEvent(reader.userId(), NotificationEvent.allSeen(reader.userId(), seq, SequencedOutbox.now(), watermark));
        return watermark;
    }

    /**
     * Archives a notification for the reader: it leaves their default list and their counts (archiving marks it
     * read, counted as a read in its delivery statistics if it was unread) and is listed with {@code archived}.
     * Idempotent; 404 when it is not in the reader's inbox.
     */
    @Transactional
    public void archive(Caller reader, UUID id) {
        Notification n = visible(reader, id);
        if (hasMark(reader.userId(), n.seq, "archived")) {
            return;
        }
        if (!isRead(reader.userId(), n.seq)) {
            receipts.read(reader.userId(), reader.company(), List.of(id));
        }
        long seq = events.nextSeq();
        upsertMark(reader.userId(), n, "read", "archived");
        events.appendUserEvent(reader.userId(),
                NotificationEvent.archive(NotificationEvent.ARCHIVED, reader.userId(), seq, SequencedOutbox.now(), id));
    }

    /** Brings an archived notification back to the reader's list (still read). Idempotent; 404 as {@link #archive}. */
    @Transactional
    public void unarchive(Caller reader, UUID id) {
        Notification n = visible(reader, id);
        if (!hasMark(reader.userId(), n.seq, "archived")) {
            return;
        }
        long seq = events.nextSeq();
        em.createNativeQuery("UPDATE inbox_marks SET archived = false WHERE user_id = :user AND seq = :seq")
                .setParameter("user", reader.userId()).setParameter("seq", n.seq).executeUpdate();
        events.appendUserEvent(reader.userId(),
                NotificationEvent.archive(NotificationEvent.UNARCHIVED, reader.userId(), seq, SequencedOutbox.now(), id));
    }

    /**
     * Snoozes a notification for the reader until {@code until}: out of their list and counts (archived ones too)
     * until then, when {@link SnoozeWakeUps} brings it back unread and pushes it again. Snoozing again moves the time;
     * 404 when it is not in the reader's inbox.
     */
    @Transactional
    public void snooze(Caller reader, UUID id, java.time.OffsetDateTime until) {
        Notification n = visible(reader, id);
        long seq = events.nextSeq();
        em.createNativeQuery("INSERT INTO inbox_marks (user_id, seq, notification_id, snoozed_until)"
                + " VALUES (:user, :seq, :id, :until) ON CONFLICT (user_id, seq) DO UPDATE SET snoozed_until = :until")
                .setParameter("user", reader.userId()).setParameter("seq", n.seq).setParameter("id", n.id)
                .setParameter("until", until).executeUpdate();
        events.appendUserEvent(reader.userId(),
                NotificationEvent.snoozed(reader.userId(), seq, SequencedOutbox.now(), id, until));
    }

    /** Brings a snoozed notification back now, as it was before (no push). Idempotent; 404 as {@link #snooze}. */
    @Transactional
    public void unsnooze(Caller reader, UUID id) {
        Notification n = visible(reader, id);
        long seq = events.nextSeq();
        int cleared = em.createNativeQuery("UPDATE inbox_marks SET snoozed_until = NULL"
                + " WHERE user_id = :user AND seq = :seq AND snoozed_until IS NOT NULL")
                .setParameter("user", reader.userId()).setParameter("seq", n.seq).executeUpdate();
        if (cleared > 0) {
            events.appendUserEvent(reader.userId(),
                    NotificationEvent.unsnoozed(reader.userId(), seq, SequencedOutbox.now(), id));
        }
    }

    /** Deletes a notification from the reader's inbox (only theirs: a broadcast stays for the others). */
    @Transactional
    public void delete(Caller reader, UUID id) {
        Notification n = visible(reader, id);
        long seq = events.nextSeq();
        upsertMark(reader.userId(), n, "deleted");
        events.appendUserEvent(reader.userId(), NotificationEvent.deleted(reader.userId(), seq, SequencedOutbox.now(), id));
    }

    @Transactional
    public Preferences preferences(String userId) {
        Map<String, Boolean> types = new TreeMap<>();
        KNOWN_TYPES.forEach(t -> types.put(t, true));
        storedPreferences(userId).forEach(types::put);
        return new Preferences(types, storedQuietHours(userId));
    }

    /** Merges the given types into the user's preferences and tells their other tabs. */
    @Transactional
    public Preferences updatePreferences(String userId, Preferences changes) {
        long seq = events.nextSeq();
        changes.types().forEach((type, enabled) -> em.createNativeQuery("""
                INSERT INTO preferences (user_id, type, enabled) VALUES (:user, :type, :enabled)
                ON CONFLICT (user_id, type) DO UPDATE SET enabled = EXCLUDED.enabled""")
                .setParameter("user", userId).setParameter("type", type).setParameter("enabled", enabled)
                .executeUpdate());
        QuietHours quiet = changes.quietHours();
        if (quiet != null) {
            em.createNativeQuery("""
                    INSERT INTO quiet_hours (user_id, starts_at, ends_at, timezone)
                    VALUES (:user, CAST(:start AS time), CAST(:end AS time), :zone)
                    ON CONFLICT (user_id) DO UPDATE
                    SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, timezone = EXCLUDED.timezone""")
                    .setParameter("user", userId).setParameter("start", quiet.start()).setParameter("end", quiet.end())
                    .setParameter("zone", quiet.timezone()).executeUpdate();
        }
        return preferencesChanged(userId, seq);
    }

    /** Removes the user's quiet hours (nothing to remove is no error) and tells their other tabs. */
    @Transactional
    public Preferences clearQuietHours(String userId) {
        long seq = events.nextSeq();
        em.createNativeQuery("DELETE FROM quiet_hours WHERE user_id = :user").setParameter("user", userId).executeUpdate();
        return preferencesChanged(userId, seq);
    }

    private Preferences preferencesChanged(String userId, long seq) {
        Preferences all = preferences(userId);
        events.appendUserEvent(userId, NotificationEvent.preferencesUpdated(userId, seq, SequencedOutbox.now(), all));
        return all;
    }

    /**
     * Everything addressed to the reader after {@code afterSeq}, oldest first: notifications (with
     * their current read state) and the reader's own state changes. {@code resync} when the seq is
     * older than retention, ahead of the store, or more changed than {@code limit}.
     */
    @Transactional
    public ResumeResult resume(Caller reader, long afterSeq, int limit) {
        long horizon = ((Number) em.createNativeQuery("SELECT seq FROM retention_horizon WHERE id = 1")
                .getSingleResult()).longValue();
        long last = events.lastCommittedSeq();
        if (afterSeq < horizon) {
            return ResumeResult.resync("older than the retention horizon (seq " + horizon + ")", last);
        }
        if (afterSeq > last) {
            return ResumeResult.resync("ahead of the store (last seq " + last + ")", last);
        }
        List<NotificationEvent> missed = new ArrayList<>();
        actions.withCompletions(reader.userId(), inbox.after(reader, afterSeq, limit + 1))
                .forEach(v -> missed.add(NotificationEvent.created(v)));
        missed.addAll(userEventsAfter(reader.userId(), afterSeq, limit + 1));
        if (missed.size() > limit) {
            return ResumeResult.resync("more than " + limit + " changes since seq " + afterSeq, last);
        }
        missed.sort(Comparator.comparingLong(NotificationEvent::seq));
        long lastSeq = missed.isEmpty() ? afterSeq : missed.get(missed.size() - 1).seq();
        return ResumeResult.ok(missed, lastSeq);
    }

    /** The notification if it is in the reader's inbox, else a 404 problem; in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Notification inInbox(Caller reader, UUID id) {
        return visible(reader, id);
    }

    private Notification visible(Caller reader, UUID id) {
        Notification n = Notification.findById(id);
        boolean visible = n != null
                && (n.expiresAt == null || n.expiresAt.isAfter(SequencedOutbox.now()))
                && inbox.addressedTo(n, reader)
                && !hasMark(reader.userId(), n.seq, "deleted");
        if (!visible) {
            throw HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                    .withDetail("No notification " + id + " in your inbox").build();
        }
        return n;
    }

    private boolean isRead(String userId, long seq) {
        return hasMark(userId, seq, "read") || seq <= readUpTo(userId) && !hasMark(userId, seq, "resurfaced");
    }

    private long readUpTo(String userId) {
        return watermark(userId, "read_up_to");
    }

    private long seenUpTo(String userId) {
        return watermark(userId, "seen_up_to");
    }

    /** Raises one of the user's watermarks to {@code target} (never lowers it); answers the watermark now. */
    private long raiseWatermark(String userId, String column, long target) {
        return ((Number) em.createNativeQuery("INSERT INTO inbox_state (user_id, " + column + ") VALUES (:user, :upTo)"
                + " ON CONFLICT (user_id) DO UPDATE SET " + column + " = GREATEST(inbox_state." + column + ", EXCLUDED."
                + column + "), updated_at = now() RETURNING " + column)
                .setParameter("user", userId).setParameter("upTo", target).getSingleResult()).longValue();
    }

    private long watermark(String userId, String column) {
        List<?> rows = em.createNativeQuery("SELECT " + column + " FROM inbox_state WHERE user_id = :user")
                .setParameter("user", userId).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    private boolean hasMark(String userId, long seq, String column) {
        return !em.createNativeQuery("SELECT 1 FROM inbox_marks WHERE user_id = :user AND seq = :seq AND " + column)
                .setParameter("user", userId).setParameter("seq", seq).getResultList().isEmpty();
    }

    /** Sets these boolean marks of the user's mark row for {@code n} (creating the row). */
    private void upsertMark(String userId, Notification n, String... columns) {
        List<String> names = List.of(columns);
        em.createNativeQuery("INSERT INTO inbox_marks (user_id, seq, notification_id, " + String.join(", ", names) + ")"
                + " VALUES (:user, :seq, :id" + ", true".repeat(names.size()) + ") ON CONFLICT (user_id, seq) DO UPDATE SET "
                + String.join(", ", names.stream().map(c -> c + " = true").toList()))
                .setParameter("user", userId).setParameter("seq", n.seq).setParameter("id", n.id).executeUpdate();
    }

    private Map<String, Boolean> storedPreferences(String userId) {
        Map<String, Boolean> stored = new LinkedHashMap<>();
        for (Object row : em.createNativeQuery("SELECT type, enabled FROM preferences WHERE user_id = :user")
                .setParameter("user", userId).getResultList()) {
            Object[] cols = (Object[]) row;
            stored.put((String) cols[0], (Boolean) cols[1]);
        }
        return stored;
    }

    private QuietHours storedQuietHours(String userId) {
        List<?> rows = em.createNativeQuery("SELECT to_char(starts_at, 'HH24:MI'), to_char(ends_at, 'HH24:MI'), timezone "
                + "FROM quiet_hours WHERE user_id = :user").setParameter("user", userId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] cols = (Object[]) rows.get(0);
        return new QuietHours((String) cols[0], (String) cols[1], (String) cols[2]);
    }

    private Set<String> mutedTypes(String userId) {
        return storedPreferences(userId).entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private List<NotificationEvent> userEventsAfter(String userId, long afterSeq, int limit) {
        List<NotificationEvent> result = new ArrayList<>();
        for (Object payload : em.createNativeQuery(
                "SELECT payload FROM user_events WHERE user_id = :user AND seq > :after ORDER BY seq LIMIT :limit")
                .setParameter("user", userId).setParameter("after", afterSeq).setParameter("limit", limit)
                .getResultList()) {
            try {
                result.add(json.readValue((String) payload, NotificationEvent.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Unreadable stored event", e);
            }
        }
        return result;
    }

    private static InboxQueries.Filter withPriorities(InboxQueries.Filter f, Set<String> priorities) {
        return new InboxQueries.Filter(f.unreadOnly(), f.types(), priorities, f.mutedTypes(), f.archived(), f.externalId());
    }

    private static Set<String> withoutUrgent(Set<String> priorities) {
        Set<String> rest = new HashSet<>(priorities == null ? PRIORITIES : priorities);
        rest.remove("urgent");
        return rest;
    }

    private static Cursor parseCursor(String cursor, boolean urgentFirst) {
        if (cursor == null || cursor.isEmpty()) {
            return new Cursor(urgentFirst, Long.MAX_VALUE);
        }
        char phase = cursor.charAt(0);
        long seq;
        try {
            seq = Long.parseLong(cursor.substring(1));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        boolean valid = seq > 0 && (urgentFirst ? phase == 'u' || phase == 'r' : phase == 'n');
        if (!valid) {
            throw HttpProblem.builder().withStatus(Response.Status.BAD_REQUEST).withTitle("Bad Request")
                    .withDetail("cursor: not a cursor of this listing; pass next_cursor of the previous page unchanged")
                    .build();
        }
        return new Cursor(phase == 'u', seq);
    }
}
