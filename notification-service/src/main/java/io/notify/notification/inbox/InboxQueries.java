package io.notify.notification.inbox;

import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;
import org.hibernate.query.NativeQuery;

import io.notify.notification.Audience;
import io.notify.notification.Notification;
import io.notify.notification.NotificationRecipient;
import io.notify.notification.NotificationView;
import io.notify.notification.SqlTimes;
import io.notify.notification.StoredJson;
import io.notify.notification.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

/**
 * The reader's inbox, computed on read from their id, company and roles (fan-out on read).
 *
 * <p>
 * Every query is a UNION ALL of one branch per audience kind (explicit recipients, company, topic subscriptions,
 * role, everyone). Each branch walks its own index in seq order from the cursor and stops at the limit,
 * so a page or a (capped) unread count costs the same whatever the table size. Per-user state is
 * applied in each branch: the read watermark, read/deleted/archived/snoozed marks above it, and muted types. Archived
 * notifications are listed from the reader's archive marks instead; unread ones woken from a snooze under the
 * watermark come from the reader's resurfaced marks (one more branch).
 */
@ApplicationScoped
public class InboxQueries {

    /**
     * Filters of an inbox query; null lists mean "any", a null {@code externalId} too. {@code archived}: the archived
     * ones instead of the others (archiving marks read, so never together with {@code unreadOnly}).
     */
    public record Filter(boolean unreadOnly, Set<String> types, Set<String> priorities, Set<String> mutedTypes,
            boolean archived, String externalId) {
        public static final Filter NONE = new Filter(false, null, null, null, false, null);

        static Filter unread(Set<String> mutedTypes) {
            return new Filter(true, null, null, mutedTypes, false, null);
        }

        /** Only notifications with this external id (the sender's own id; see V24). */
        public static Filter externalId(String externalId) {
            return new Filter(false, null, null, null, false, externalId);
        }
    }

    /** Unread notifications per priority and how many of them the reader has not seen, of the newest {@code cap}. */
    public record Counts(Map<String, Long> unreadByPriority, long unseen) {
    }

    private final EntityManager em;
    private final StoredJson json;

    public InboxQueries(EntityManager em, StoredJson json) {
        this.em = em;
        this.json = json;
    }

    /** Newest first, seq below {@code beforeSeq}, with the reader's read state. */
    public List<NotificationView> page(Caller reader, long beforeSeq, int limit, Filter filter) {
        if (filter.archived()) {
            return archivedPage(reader, beforeSeq, limit, filter);
        }
        Map<String, Object> params = new HashMap<>();
        String branches = branches(reader, filter, "< :bound", "DESC", params);
        params.put("bound", beforeSeq);
        params.put("limit", limit);
        return views("SELECT " + VIEW_COLUMNS + " FROM notifications n" + READER_MARK + " WHERE n.seq IN (SELECT seq FROM ("
                + branches + ") b ORDER BY seq DESC LIMIT :limit) ORDER BY n.seq DESC", params);
    }

    /** Oldest first, seq above {@code afterSeq}, with the reader's read state: what a reconnecting client missed. */
    public List<NotificationView> after(Caller reader, long afterSeq, int limit) {
        Map<String, Object> params = new HashMap<>();
        String branches = branches(reader, Filter.NONE, "> :bound", "ASC", params);
        params.put("bound", afterSeq);
        params.put("limit", limit);
        return views("SELECT " + VIEW_COLUMNS + " FROM notifications n" + READER_MARK + " WHERE n.seq IN (SELECT seq FROM ("
                + branches + ") b ORDER BY seq ASC LIMIT :limit) ORDER BY n.seq ASC", params);
    }

    /**
     * Unread notifications per priority, counting at most {@code cap} (the newest), and the unseen ones among them:
     * those above the reader's seen watermark, and those woken from a snooze after it (a snoozed one back is news
     * again). Unseen ones are among the newest unread, so one capped walk counts both.
     */
    public Counts unreadCounts(Caller reader, Set<String> mutedTypes, int cap) {
        Map<String, Object> params = new HashMap<>();
        String branches = branches(reader, Filter.unread(mutedTypes), "> :bound", "DESC", params);
        params.put("bound", 0L);
        params.put("limit", cap);
        // unseen: above the seen watermark, or woken from a snooze after it (its resurfaced event's seq is above it;
        // the reader's resurfaced unread marks, a walk of their partial index, evaluated once)
        Query query = em.createNativeQuery("SELECT priority, count(*), count(*) FILTER (WHERE seq > " + SEEN_UP_TO
                + " OR seq IN (SELECT k.seq FROM inbox_marks k WHERE k.user_id = :userId AND k.resurfaced AND NOT k.read"
                + " AND NOT k.deleted AND k.resurfaced_seq > " + SEEN_UP_TO + ")) FROM (SELECT seq, priority FROM ("
                + branches + ") b ORDER BY seq DESC LIMIT :limit) t GROUP BY priority");
        params.forEach(query::setParameter);
        Map<String, Long> counts = new LinkedHashMap<>();
        long unseen = 0;
        for (Object row : query.getResultList()) {
            Object[] cols = (Object[]) row;
            counts.put((String) cols[0], ((Number) cols[1]).longValue());
            unseen += ((Number) cols[2]).longValue();
        }
        return new Counts(counts, unseen);
    }

    /**
     * The ids of the reader's unread notifications with a seq up to {@code upToSeq}, the newest {@code cap} of them:
     * what the unread count counts (muted types left out, except urgent ones).
     */
    @SuppressWarnings("unchecked")
    public List<java.util.UUID> unreadIds(Caller reader, long upToSeq, Set<String> mutedTypes, int cap) {
        Map<String, Object> params = new HashMap<>();
        String branches = branches(reader, Filter.unread(mutedTypes), "< :bound", "DESC", params);
        params.put("bound", upToSeq == Long.MAX_VALUE ? upToSeq : upToSeq + 1);
        params.put("limit", cap);
        Query query = em.createNativeQuery("SELECT n.id FROM notifications n WHERE n.seq IN (SELECT seq FROM ("
                + branches + ") b ORDER BY seq DESC LIMIT :limit)", java.util.UUID.class);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    /** Whether this notification is addressed to the reader (their id, company, topic subscriptions, roles or everyone). */
    public boolean addressedTo(Notification n, Caller reader) {
        return switch (n.audienceType) {
            case "user", "users" -> NotificationRecipient.count("userId = ?1 and seq = ?2", reader.userId(), n.seq) > 0;
            case "company" -> n.audienceCompany.equals(reader.company());
            case "role" -> reader.roles().contains(n.audienceRole)
                    && (n.audienceCompany == null || n.audienceCompany.equals(reader.company()));
            case "topic" -> n.audienceCompany.equals(reader.company()) && !em.createNativeQuery("SELECT 1 FROM "
                    + "topic_subscriptions ts WHERE ts.company = :company AND ts.topic = :topic AND ts.user_id = :userId"
                    + " AND ts.since_seq < :seq").setParameter("company", n.audienceCompany)
                    .setParameter("topic", n.audienceTopic).setParameter("userId", reader.userId())
                    .setParameter("seq", n.seq).getResultList().isEmpty();
            default -> true;
        };
    }

    /**
     * The reader's archived notifications, newest first, seq below {@code beforeSeq}: a walk of their archived marks
     * (a partial index), each still addressed to them as they are now (company, roles), not expired.
     */
    private List<NotificationView> archivedPage(Caller reader, long beforeSeq, int limit, Filter filter) {
        if (filter.unreadOnly()) {
            return List.of(); // archiving marks read
        }
        Map<String, Object> params = new HashMap<>();
        params.put("userId", reader.userId());
        params.put("bound", beforeSeq);
        params.put("limit", limit);
        StringBuilder sql = new StringBuilder("SELECT " + VIEW_COLUMNS + " FROM inbox_marks m JOIN notifications n"
                + " ON n.id = m.notification_id"
                + " WHERE m.user_id = :userId AND m.archived AND NOT m.deleted AND m.snoozed_until IS NULL AND m.seq < :bound"
                + " AND (n.expires_at IS NULL OR n.expires_at > now()) AND " + addressed(reader, params));
        appendContentFilters(sql, filter, params);
        sql.append(" ORDER BY m.seq DESC LIMIT :limit");
        return views(sql.toString(), params);
    }

    /** {@code n} is addressed to the reader as they are now (their id, company, roles or everyone). */
    private static String addressed(Caller reader, Map<String, Object> params) {
        List<String> addressed = new ArrayList<>(List.of("n.audience_type = 'everyone'",
                "(n.audience_type IN ('user', 'users') AND EXISTS (SELECT 1 FROM notification_recipients r"
                        + " WHERE r.user_id = :userId AND r.seq = n.seq))"));
        if (reader.company() != null) {
            params.put("company", reader.company());
            addressed.add("(n.audience_type = 'company' AND n.audience_company = :company)");
            addressed.add("(n.audience_type = 'topic' AND n.audience_company = :company AND EXISTS (SELECT 1 FROM"
                    + " topic_subscriptions ts WHERE ts.company = :company AND ts.topic = n.audience_topic"
                    + " AND ts.user_id = :userId AND ts.since_seq < n.seq))");
        }
        if (!reader.roles().isEmpty()) {
            params.put("roles", reader.roles());
            addressed.add("(n.audience_type = 'role' AND n.audience_role IN (:roles) AND (n.audience_company IS NULL"
                    + (reader.company() != null ? " OR n.audience_company = :company" : "") + "))");
        }
        return "(" + String.join(" OR ", addressed) + ")";
    }

    /** The type, priority and muted-type conditions on {@code n}. */
    private static void appendContentFilters(StringBuilder sql, Filter filter, Map<String, Object> params) {
        if (filter.types() != null && !filter.types().isEmpty()) {
            sql.append(" AND n.type IN (:types)");
            params.put("types", filter.types());
        }
        if (filter.priorities() != null && !filter.priorities().isEmpty()) {
            sql.append(" AND n.priority IN (:priorities)");
            params.put("priorities", filter.priorities());
        }
        if (filter.externalId() != null) {
            sql.append(" AND n.external_id = :externalId");
            params.put("externalId", filter.externalId());
        }
        if (filter.mutedTypes() != null && !filter.mutedTypes().isEmpty()) {
            sql.append(" AND (n.priority = 'urgent' OR n.type NOT IN (:muted))");
            params.put("muted", filter.mutedTypes());
        }
    }

    /**
     * The newest notification with this external id that {@code sender} sent (whoever it is addressed to),
     * unexpired; null when there is none.
     */
    public Notification newestSentWithExternalId(String sender, String externalId) {
        List<Notification> rows = notifications("""
                SELECT n.* FROM notifications n
                 WHERE n.external_id = :externalId AND n.sender_id = :sender
                   AND (n.expires_at IS NULL OR n.expires_at > now())
                 ORDER BY n.seq DESC LIMIT 1""", Map.of("externalId", externalId, "sender", sender));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Loaded read-only: never changed in the same session (no snapshot of its state, no dirty check at flushes). */
    @SuppressWarnings("unchecked")
    private List<Notification> notifications(String sql, Map<String, Object> params) {
        Query query = em.createNativeQuery(sql, Notification.class).setHint(HibernateHints.HINT_READ_ONLY, true);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    /**
     * The listed rows straight to what the reader sees, read state included, in the page's statement: no entities
     * (neither Hibernate's initializers nor its persistence context; what the inbox lists is never changed in the same
     * request) and no further round trips for the watermark and the marks. Measured against loading entities and then
     * the read state: the pages' median a tenth lower, the service's CPU 6-12% and its allocation 15% less per request
     * (bench/README session 24).
     */
    @SuppressWarnings("unchecked")
    private List<NotificationView> views(String sql, Map<String, Object> params) {
        NativeQuery<Object[]> query = em.createNativeQuery(sql).unwrap(NativeQuery.class);
        query.addScalar("id", UUID.class).addScalar("seq", Long.class).addScalar("audience_type", String.class)
                .addScalar("audience_company", String.class).addScalar("audience_role", String.class)
                .addScalar("audience_topic", String.class).addScalar("title", String.class)
                .addScalar("message", String.class).addScalar("type", String.class).addScalar("priority", String.class)
                .addScalar("data", String.class).addScalar("link", String.class).addScalar("sender", String.class)
                .addScalar("created_at", OffsetDateTime.class).addScalar("expires_at", OffsetDateTime.class)
                .addScalar("external_id", String.class).addScalar("actions", String.class)
                .addScalar("read", Boolean.class);
        params.forEach(query::setParameter);
        List<Object[]> rows = query.getResultList();
        List<NotificationView> views = new ArrayList<>(rows.size());
        for (Object[] c : rows) {
            views.add(new NotificationView((UUID) c[0], (Long) c[1],
                    new Audience((String) c[2], null, (String) c[3], (String) c[4], (String) c[5]), (String) c[6],
                    (String) c[7], (String) c[8], (String) c[9], json.data((String) c[10]), (String) c[11],
                    (String) c[12], SqlTimes.utc(c[13]), SqlTimes.utc(c[14]), (Boolean) c[17], (String) c[15],
                    json.actions((String) c[16]), null));
        }
        return views;
    }

    /**
     * Up to this many topic subscriptions, a reader's inbox walks each as a branch of its own (merged lazily, like
     * roles); with more, one LATERAL walk per subscription, each up to the limit, sorted (a statement of bounded size).
     */
    public static final int TOPIC_BRANCHES = 32;

    private static final String READ_UP_TO = "COALESCE((SELECT s.read_up_to FROM inbox_state s WHERE s.user_id = :userId), 0)";
    private static final String SEEN_UP_TO = "COALESCE((SELECT s.seen_up_to FROM inbox_state s WHERE s.user_id = :userId), 0)";

    /**
     * The columns of a listed notification, {@code n}, and the reader's read state, from their mark row {@code m} of
     * it (if any) and their read watermark: read when marked read, or under the watermark and not woken from a snooze
     * (unread again).
     */
    private static final String VIEW_COLUMNS = "n.id, n.seq, n.audience_type, n.audience_company, n.audience_role,"
            + " n.audience_topic, n.title, n.message, n.type, n.priority, n.data, n.link, n.sender, n.created_at,"
            + " n.expires_at, n.external_id, n.actions, (COALESCE(m.read, false) OR n.seq <= " + READ_UP_TO
            + " AND NOT COALESCE(m.resurfaced, false)) AS read";

    /** The reader's mark row of {@code n}, if any (one at most: its key is user and seq). */
    private static final String READER_MARK = " LEFT JOIN inbox_marks m ON m.user_id = :userId AND m.seq = n.seq";

    /**
     * The unread ones the audience branches cannot see: woken from a snooze under the reader's read watermark (the
     * branches stop at it). A walk of the reader's resurfaced unread marks through their partial index, each still
     * addressed to them; above the watermark the audience branches count them already.
     */
    private static String resurfacedUnderWatermark(Caller reader, InboxQueries.Filter filter, String bound,
            String direction, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder("(SELECT k.seq, n.priority FROM inbox_marks k JOIN notifications n"
                + " ON n.id = k.notification_id WHERE k.user_id = :userId AND k.resurfaced AND NOT k.read AND NOT k.deleted"
                + " AND k.snoozed_until IS NULL AND k.seq " + bound + " AND k.seq <= " + READ_UP_TO
                + " AND (n.expires_at IS NULL OR n.expires_at > now()) AND " + addressed(reader, params));
        appendContentFilters(sql, filter, params);
        return sql.append(" ORDER BY k.seq ").append(direction).append(" LIMIT :limit)").toString();
    }

    /**
     * The inbox statements of this transaction use the generic plan of their prepared statement, built once per
     * connection and statement shape (the datasource prepares on first use: {@code prepareThreshold=1}). Planning one
     * of these UNIONs of a branch per audience costs 3-9 ms, several times its execution (0.7-3 ms), and PostgreSQL's
     * default ({@code auto}) keeps planning them per call, as a custom plan never looks dearer than the generic one.
     * Their branches are ordered walks of indexes whose choice does not depend on the values: the generic plan
     * executes as fast as the custom one (measured on the bench's 1M rows: bench/README).
     */
    private void genericPlans() {
        em.unwrap(Session.class).doWork(connection -> {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            }
        });
    }

    /**
     * One sub-select per audience kind the reader can be part of, each returning (seq, priority)
     * in index order from the bound. The read watermark is part of the unread condition, so an
     * unread query never scans below it.
     */
    private String branches(Caller reader, Filter filter, String bound, String direction,
            Map<String, Object> params) {
        genericPlans();
        params.put("userId", reader.userId());
        StringBuilder state = new StringBuilder(" AND (n.expires_at IS NULL OR n.expires_at > now())");
        // an archived one is read too (archiving marks read), so the unread condition leaves it out already;
        // a snoozed one is out of both until it wakes
        state.append(" AND NOT EXISTS (SELECT 1 FROM inbox_marks m WHERE m.user_id = :userId AND m.seq = {seq} AND ")
                .append(filter.unreadOnly() ? "(m.deleted OR m.read" : "(m.deleted OR m.archived")
                .append(" OR m.snoozed_until IS NOT NULL))");
        if (filter.unreadOnly()) {
            state.append(" AND {seq} > " + READ_UP_TO);
        }
        appendContentFilters(state, filter, params);
        String tail = " {seq} " + bound + state + " ORDER BY {seq} " + direction + " LIMIT :limit)";

        List<String> branches = new ArrayList<>();
        branches.add("(SELECT r.seq, n.priority FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id"
                + " WHERE r.user_id = :userId AND" + tail.replace("{seq}", "r.seq"));
        if (reader.company() != null) {
            params.put("company", reader.company());
            branches.add("(SELECT n.seq, n.priority FROM notifications n WHERE n.audience_type = 'company'"
                    + " AND n.audience_company = :company AND" + tail.replace("{seq}", "n.seq"));
            List<?> subscriptions = em.createNativeQuery("SELECT topic, since_seq FROM topic_subscriptions"
                    + " WHERE user_id = :user AND company = :company ORDER BY topic LIMIT :most")
                    .setParameter("user", reader.userId()).setParameter("company", reader.company())
                    .setParameter("most", TOPIC_BRANCHES + 1).getResultList();
            if (subscriptions.size() <= TOPIC_BRANCHES) {
                // one ordered walk of the topic index per subscription, from the bound down to (or up from) its
                // since_seq, as a branch of its own: the merge pulls from each only what the page takes (as roles)
                int k = 0;
                for (Object row : subscriptions) {
                    Object[] sub = (Object[]) row;
                    String topic = "topic" + k;
                    String since = "since" + k++;
                    params.put(topic, sub[0]);
                    params.put(since, ((Number) sub[1]).longValue());
                    branches.add("(SELECT n.seq, n.priority FROM notifications n WHERE n.audience_type = 'topic'"
                            + " AND n.audience_company = :company AND n.audience_topic = :" + topic + " AND n.seq > :" + since
                            + " AND" + tail.replace("{seq}", "n.seq"));
                }
            } else {
                // many subscriptions: one statement of bounded size, each walk at most the limit, sorted here
                branches.add("(SELECT t.seq, t.priority FROM topic_subscriptions ts CROSS JOIN LATERAL (SELECT n.seq,"
                        + " n.priority FROM notifications n WHERE n.audience_type = 'topic' AND n.audience_company = ts.company"
                        + " AND n.audience_topic = ts.topic AND n.seq > ts.since_seq AND" + tail.replace("{seq}", "n.seq")
                        + " t WHERE ts.user_id = :userId AND ts.company = :company ORDER BY t.seq " + direction
                        + " LIMIT :limit)");
            }
        }
        // one ordered index walk per role and scope: an IN list over two roles would make PostgreSQL
        // read and sort every role notification of both (measured: 100 ms instead of 0.3 ms)
        int r = 0;
        for (String role : reader.roles()) {
            String param = "role" + r++;
            params.put(param, role);
            String roleBranch = "(SELECT n.seq, n.priority FROM notifications n WHERE n.audience_type = 'role'"
                    + " AND n.audience_role = :" + param + " AND ";
            branches.add(roleBranch + "n.audience_company IS NULL AND" + tail.replace("{seq}", "n.seq"));
            if (reader.company() != null) {
                branches.add(roleBranch + "n.audience_company = :company AND" + tail.replace("{seq}", "n.seq"));
            }
        }
        branches.add("(SELECT n.seq, n.priority FROM notifications n WHERE n.audience_type = 'everyone'"
                + " AND" + tail.replace("{seq}", "n.seq"));
        if (filter.unreadOnly()) {
            branches.add(resurfacedUnderWatermark(reader, filter, bound, direction, params));
        }
        return String.join(" UNION ALL ", branches);
    }
}
