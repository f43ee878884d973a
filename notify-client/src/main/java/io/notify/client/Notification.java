package io.notify.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A notification to send: the body of {@code POST /api/notifications} and the value of a record on
 * {@code notification-requests}. Immutable; {@link #to(Audience)} starts a {@link Builder}, whose {@code build()}
 * refuses what the service would refuse for its shape (blank title, too long a message, a type that is not
 * lower_snake_case, a user audience with two ids...) with an {@link IllegalArgumentException} naming every problem.
 *
 * <pre>{@code
 * Notification n = Notification.to(Audience.company("company_a"))
 *         .title("Standup moved").message("Daily standup is at 10:30 today")
 *         .type("meeting").priority(Priority.HIGH).data("meeting_id", 42).link("/meetings/42")
 *         .idempotencyKey("meeting-42-moved").build();
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(
        Audience audience,
        String title,
        String message,
        String type,
        Priority priority,
        Map<String, Object> data,
        String link,
        @JsonProperty("expires_at") OffsetDateTime expiresAt,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("external_id") String externalId,
        @JsonProperty("send_at") OffsetDateTime sendAt,
        List<Action> actions) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[^\\x00-\\x1F\\x7F-\\x9F]{1,200}");
    private static final Pattern ACTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

    public Notification {
        data = data == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(data));
        actions = actions == null || actions.isEmpty() ? null : List.copyOf(actions);
    }

    /** Without actions: the constructor before {@code actions} existed, kept for code that calls it. */
    public Notification(Audience audience, String title, String message, String type, Priority priority,
            Map<String, Object> data, String link, OffsetDateTime expiresAt, String idempotencyKey, String externalId,
            OffsetDateTime sendAt) {
        this(audience, title, message, type, priority, data, link, expiresAt, idempotencyKey, externalId, sendAt, null);
    }

    /** Sent now (no {@code send_at}): the constructor before {@code send_at} existed, kept for code that calls it. */
    public Notification(Audience audience, String title, String message, String type, Priority priority,
            Map<String, Object> data, String link, OffsetDateTime expiresAt, String idempotencyKey, String externalId) {
        this(audience, title, message, type, priority, data, link, expiresAt, idempotencyKey, externalId, null);
    }

    /** Without an external id: the constructor before {@code external_id} existed, kept for code that calls it. */
    public Notification(Audience audience, String title, String message, String type, Priority priority,
            Map<String, Object> data, String link, OffsetDateTime expiresAt, String idempotencyKey) {
        this(audience, title, message, type, priority, data, link, expiresAt, idempotencyKey, null);
    }

    public static Builder to(Audience audience) {
        return new Builder(audience);
    }

    /** This notification with a key: the one given, else a fresh random one (what every retry of a send then uses). */
    public Notification withIdempotencyKeyIfAbsent() {
        return idempotencyKey != null ? this
                : new Notification(audience, title, message, type, priority, data, link, expiresAt,
                        UUID.randomUUID().toString(), externalId, sendAt, actions);
    }

    /** A builder holding this notification's fields, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(audience).title(title).message(message).type(type).priority(priority).link(link)
                .expiresAt(expiresAt).idempotencyKey(idempotencyKey).externalId(externalId).sendAt(sendAt);
        if (data != null) {
            b.data(data);
        }
        if (actions != null) {
            actions.forEach(a -> b.action(a.id(), a.label(), a.style()));
        }
        return b;
    }

    /** Every problem the service would refuse this request for, by field, as it names them. */
    static List<String> problems(Notification n) {
        List<String> problems = new ArrayList<>();
        if (n.audience == null) {
            problems.add("audience: must not be null");
        } else {
            n.audience.check(problems);
        }
        text(problems, "title", n.title, 200, true);
        text(problems, "message", n.message, 4000, true);
        if (n.type != null && !TYPE.matcher(n.type).matches()) {
            problems.add("type: must be lower_snake_case, at most 64 characters");
        }
        text(problems, "link", n.link, 2048, false);
        text(problems, "idempotency_key", n.idempotencyKey, 200, false);
        if (n.idempotencyKey != null && n.idempotencyKey.isEmpty()) {
            problems.add("idempotency_key: must not be empty");
        }
        if (n.externalId != null && !EXTERNAL_ID.matcher(n.externalId).matches()) {
            problems.add("external_id: must be 1 to 200 characters without control characters");
        }
        if (n.actions != null) {
            if (n.actions.size() > 3) {
                problems.add("actions: at most 3");
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (int i = 0; i < n.actions.size(); i++) {
                Action a = n.actions.get(i);
                if (a.id() == null || !ACTION_ID.matcher(a.id()).matches()) {
                    problems.add("actions[" + i + "].id: must be 1 to 40 letters, digits, _ or -, starting with a letter or digit");
                } else if (!ids.add(a.id())) {
                    problems.add("actions: action ids must be unique (" + a.id() + " twice)");
                }
                text(problems, "actions[" + i + "].label", a.label(), 40, true);
            }
        }
        return problems;
    }

    private static void text(List<String> problems, String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(field + ": must not be blank");
            }
            return;
        }
        if (value.length() > max) {
            problems.add(field + ": at most " + max + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            problems.add(field + ": must not contain NUL characters");
        }
    }

    /** Builds a {@link Notification}; not thread-safe, reusable. */
    public static final class Builder {
        private final Audience audience;
        private String title;
        private String message;
        private String type;
        private Priority priority;
        private Map<String, Object> data;
        private String link;
        private OffsetDateTime expiresAt;
        private String idempotencyKey;
        private String externalId;
        private OffsetDateTime sendAt;
        private final List<Action> actions = new ArrayList<>();

        private Builder(Audience audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** {@code general} when not given; {@code meeting}, {@code approval}, ... or your own lower_snake_case type. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** {@link Priority#NORMAL} when not given. */
        public Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        /** Free-form JSON the reader's client gets with the notification (replaces what was set). */
        public Builder data(Map<String, ?> data) {
            this.data = data == null ? null : new LinkedHashMap<>(data);
            return this;
        }

        /** One entry of {@link #data(Map)}. */
        public Builder data(String key, Object value) {
            if (data == null) {
                data = new LinkedHashMap<>();
            }
            data.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public Builder link(String link) {
            this.link = link;
            return this;
        }

        public Builder expiresAt(OffsetDateTime expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /**
         * Sending again with the same key creates nothing new. Without one, each send gets a fresh key that its own
         * retries reuse.
         */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        /**
         * Your own id for the notification (1 to 200 characters, no control characters): readers see it as
         * {@code external_id} in their inbox and the socket's {@code notification} frame, and find the notification
         * by it. A label, not an idempotency key: sending it twice creates two notifications.
         */
        public Builder externalId(String externalId) {
            this.externalId = externalId;
            return this;
        }

        /**
         * Send it later, at {@code sendAt} (in the future, at most 366 days ahead; null: now). The service authorizes
         * and counts it now, answers it as {@link SentNotification#scheduled()}, and delivers it when due; until then
         * nobody sees it. The sender lists and cancels pending ones over REST ({@code GET /api/notifications/scheduled},
         * {@code DELETE /api/notifications/{id}}).
         */
        public Builder sendAt(OffsetDateTime sendAt) {
            this.sendAt = sendAt;
            return this;
        }

        /** {@link #sendAt(OffsetDateTime)} in UTC. */
        public Builder sendAt(java.time.Instant sendAt) {
            return sendAt(sendAt == null ? null : sendAt.atOffset(java.time.ZoneOffset.UTC));
        }

        /**
         * Adds a button (up to 3, ids unique, labels up to 40 characters), in the order readers see them; the service's
         * default style, secondary.
         */
        public Builder action(String id, String label) {
            return action(id, label, null);
        }

        /** {@link #action(String, String)} with a style (null: the default, secondary). */
        public Builder action(String id, String label, Action.Style style) {
            actions.add(new Action(id, label, style));
            return this;
        }

        /** @throws IllegalArgumentException naming every field the service would refuse */
        public Notification build() {
            Notification n = new Notification(audience, title, message, type, priority, data, link, expiresAt,
                    idempotencyKey, externalId, sendAt, actions);
            List<String> problems = problems(n);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid notification: " + String.join("; ", problems));
            }
            return n;
        }
    }
}
