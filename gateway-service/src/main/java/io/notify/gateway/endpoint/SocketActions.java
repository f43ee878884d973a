package io.notify.gateway.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.routing.EventFrameEncoder;
import io.notify.gateway.routing.MutedTypes;
import io.notify.gateway.routing.NotificationEvent;
import io.notify.gateway.routing.Session;
import io.notify.gateway.transport.FrameTransport;
import io.notify.gateway.client.NotificationStoreClient;
import io.notify.gateway.client.TopicsClient;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * The client's actions on a socket. Each becomes the same REST call the browser could make,
 * with the socket user's current token, so notification-service authorizes it: the gateway
 * holds no authorization rules of its own. Every reply echoes the client's {@code ref}.
 */
@ApplicationScoped
public class SocketActions {

    private static final Logger LOG = Logger.getLogger(SocketActions.class);
    /** What notification-service takes as an action id (it goes into the URL path). */
    private static final java.util.regex.Pattern ACTION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");
    /** A topic key as notification-service takes it (it goes into the URL path). */
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final NotificationStoreClient store;
    private final TopicsClient topics;
    private final ReplyFrameEncoder frames;
    private final EventFrameEncoder eventFrames;
    private final FrameTransport out;
    private final MutedTypes muted;
    private final GatewayMetrics metrics;
    private final ObjectMapper json;
    private final SocketAcks acks;

    public SocketActions(@RestClient NotificationStoreClient store, @RestClient TopicsClient topics, ReplyFrameEncoder frames,
            EventFrameEncoder eventFrames, FrameTransport out, MutedTypes muted, GatewayMetrics metrics,
            ObjectMapper json, SocketAcks acks) {
        this.acks = acks;
        this.store = store;
        this.topics = topics;
        this.frames = frames;
        this.eventFrames = eventFrames;
        this.out = out;
        this.muted = muted;
        this.metrics = metrics;
        this.json = json;
    }

    /** Handles a store-backed action; returns false when {@code type} is not one. */
    boolean handle(WebSocketConnection connection, Session session, String type, JsonNode frame, JsonNode ref) {
        // the user the store acts for (built per call: a socket keeps no token); an ack never calls the store
        String actingFor = "ack".equals(type) ? null : session.user().actingFor();
        switch (type) {
            case "get_notifications" -> call(connection, ref, () -> store.list(actingFor, params(frame, "cursor"),
                    params(frame, "limit"), params(frame, "unread"), params(frame, "types"), params(frame, "priorities"),
                    params(frame, "order"), params(frame, "archived")), body -> frames.reply("notifications", ref, (ObjectNode) body));
            case "get_unread_count" -> call(connection, ref, () -> store.unreadCount(actingFor),
                    body -> frames.reply("unread_count", ref, (ObjectNode) body));
            case "mark_read" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> call(connection, ref, () -> store.markRead(actingFor, id),
                    body -> frames.reply("notification_read", ref, frames.fields().put("notification_id", id))));
            case "clicked" -> withId(connection, frame.path("id"), "id", ref, id -> call(connection, ref,
                    () -> store.clicked(actingFor, id),
                    body -> frames.reply("notification_clicked", ref, frames.fields().put("notification_id", id))));
            case "ack" -> acks.ack(connection, session, frame.get("ids"), ref);
            case "complete_action" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> {
                JsonNode action = frame.path("action_id");
                if (!action.isTextual() || !ACTION_ID.matcher(action.asText()).matches()) {
                    invalid(connection, ref, "action_id must be one of the notification's action ids");
                } else {
                    call(connection, ref, () -> store.completeAction(actingFor, id, action.asText()),
                            body -> frames.reply("action_completed", ref, frames.fields().put("notification_id", id)
                                    .put("action_id", body.path("action_id").asText())
                                    .set("completed_at", body.get("completed_at"))));
                }
            });
            case "delete_notification" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> call(connection, ref,
                    () -> store.delete(actingFor, id),
                    body -> frames.reply("notification_deleted", ref, frames.fields().put("notification_id", id))));
            case "archive", "unarchive" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> call(connection, ref,
                    () -> store.change(actingFor, id, type),
                    body -> frames.reply("archive".equals(type) ? "notification_archived" : "notification_unarchived", ref,
                            frames.fields().put("notification_id", id))));
            case "snooze" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> {
                JsonNode until = frame.path("until");
                if (!until.isTextual()) {
                    invalid(connection, ref, "until must be an ISO-8601 date-time, in the future");
                } else {
                    call(connection, ref, () -> store.snooze(actingFor, id, json.createObjectNode().put("until", until.asText())),
                            body -> frames.reply("notification_snoozed", ref, frames.fields().put("notification_id", id)
                                    .put("until", body.path("snoozed_until").asText(until.asText()))));
                }
            });
            case "unsnooze" -> withId(connection, frame.path("notification_id"), "notification_id", ref, id -> call(connection, ref,
                    () -> store.change(actingFor, id, "unsnooze"),
                    body -> frames.reply("notification_unsnoozed", ref, frames.fields().put("notification_id", id))));
            case "subscribe_topic", "unsubscribe_topic" -> {
                JsonNode topic = frame.path("topic");
                if (!topic.isTextual() || !TOPIC.matcher(topic.asText()).matches()) {
                    invalid(connection, ref, "topic must be a topic key (letters, digits, . _ : -, up to 128)");
                } else {
                    boolean subscribe = "subscribe_topic".equals(type);
                    call(connection, ref, () -> subscribe ? topics.subscribe(actingFor, topic.asText())
                            : topics.unsubscribe(actingFor, topic.asText()),
                            body -> frames.reply("subscription_changed", ref, frames.fields().put("topic", topic.asText())
                                    .put("subscribed", subscribe)));
                }
            }
            case "mark_seen" -> {
                JsonNode upTo = frame.get("up_to");
                if (upTo != null && !(upTo.canConvertToLong() && upTo.asLong() >= 0)) {
                    invalid(connection, ref, "up_to must be a seq (a number, 0 or more)");
                } else {
                    ObjectNode body = json.createObjectNode();
                    if (upTo != null) {
                        body.put("up_to", upTo.asLong());
                    }
                    call(connection, ref, () -> store.markSeen(actingFor, body),
                            answer -> frames.reply("all_seen", ref, (ObjectNode) answer));
                }
            }
            case "mark_all_read" -> {
                JsonNode upTo = frame.get("up_to");
                if (upTo != null && !upTo.canConvertToLong()) {
                    invalid(connection, ref, "up_to must be a seq (a number)");
                } else {
                    call(connection, ref, () -> store.markAllRead(actingFor, upTo == null ? null : upTo.asLong()),
                            body -> frames.reply("all_read", ref, (ObjectNode) body));
                }
            }
            case "send_notification" -> {
                JsonNode notification = frame.get("notification");
                if (notification == null || !notification.isObject()) {
                    invalid(connection, ref, "send_notification needs a \"notification\" object (the body of POST /api/notifications)");
                } else {
                    call(connection, ref, () -> store.send(actingFor, notification),
                            body -> frames.reply("sent", ref, frames.fields().set("notification", body)));
                }
            }
            case "resume" -> {
                JsonNode lastSeq = frame.get("last_seq");
                if (lastSeq == null || !lastSeq.canConvertToLong() || lastSeq.asLong() < 0) {
                    invalid(connection, ref, "resume needs \"last_seq\": the highest seq this client saw (0 for none)");
                } else {
                    resume(connection, session, ref, lastSeq.asLong());
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Everything missed since {@code lastSeq}, as the frames live delivery would have sent, then {@code resumed}. */
    private void resume(WebSocketConnection connection, Session session, JsonNode ref, long lastSeq) {
        answer(() -> store.resume(session.user().actingFor(), lastSeq)).whenComplete((answer, failure) -> {
            if (failure != null || !answer.ok()) {
                storeError(connection, ref, failure, answer);
                return;
            }
            JsonNode body = answer.body();
            long last = body.path("last_seq").asLong(lastSeq);
            if (!"ok".equals(body.path("status").asText())) {
                metrics.resync();
                out.send(connection, frames.resync(ref, last, body.path("reason").asText("cannot resume")));
                return;
            }
            String userId = session.user().userId();
            int forgotten = 0;
            for (JsonNode e : body.path("events")) {
                NotificationEvent event = json.convertValue(e, NotificationEvent.class);
                if (muted.mutes(userId, event)) {
                    continue;
                }
                String f = eventFrames.forEvent(event);
                if (f != null) {
                    // a replayed notification frame may be acknowledged like a live one
                    UUID pushed = event.pushedNotificationId();
                    if (pushed != null && session.pushed(pushed)) {
                        forgotten++;
                    }
                    out.send(connection, f);
                }
            }
            metrics.pendingAcksForgotten(forgotten);
            out.send(connection, frames.reply("resumed", ref, frames.fields().put("last_seq", last)));
        });
    }

    private void call(WebSocketConnection connection, JsonNode ref, Supplier<CompletionStage<Response>> request,
            Function<JsonNode, String> reply) {
        answer(request).whenComplete((answer, failure) -> {
            if (failure != null || !answer.ok()) {
                storeError(connection, ref, failure, answer);
            } else {
                out.send(connection, reply.apply(answer.body().isObject() ? answer.body() : frames.fields()));
            }
        });
    }

    /** The store's answer: status and JSON body (NullNode when empty or not JSON). */
    private record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private CompletionStage<Answer> answer(Supplier<CompletionStage<Response>> request) {
        CompletionStage<Response> sent;
        try {
            sent = request.get();
        } catch (RuntimeException e) { // an open circuit may throw at once
            return CompletableFuture.failedStage(e);
        }
        return sent.thenApply(response -> {
            try (response) {
                return new Answer(response.getStatus(), parse(response.hasEntity() ? response.readEntity(String.class) : null));
            }
        });
    }

    private JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            return NullNode.getInstance();
        }
    }

    private void storeError(WebSocketConnection connection, JsonNode ref, Throwable failure, Answer answer) {
        if (failure != null) {
            LOG.debugf("Store call failed: %s", failure.toString());
            error(connection, ref, "unavailable", "The store cannot be reached; retry shortly");
            return;
        }
        JsonNode problem = answer.body();
        String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + answer.status()));
        String code = switch (answer.status()) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 429 -> "rate_limited";
            default -> "unavailable";
        };
        error(connection, ref, code, detail);
    }

    void invalid(WebSocketConnection connection, JsonNode ref, String message) {
        error(connection, ref, "invalid_request", message);
    }

    void error(WebSocketConnection connection, JsonNode ref, String code, String message) {
        metrics.error(code);
        out.send(connection, frames.error(code, message, ref));
    }

    /** A notification id ({@code field} of the frame) must be a UUID: it goes into a URL path. */
    private void withId(WebSocketConnection connection, JsonNode value, String field, JsonNode ref,
            java.util.function.Consumer<String> action) {
        UUID id = SocketAcks.uuid(value);
        if (id == null) {
            invalid(connection, ref, field + " must be a notification's id (a UUID)");
        } else {
            action.accept(id.toString());
        }
    }

    /**
     * A listing filter of get_notifications, a string or an array of strings, as query values (null: none).
     * The frame's {@code types} and {@code priorities} are the store's {@code type} and {@code priority}:
     * {@code type} names the frame itself.
     */
    private static List<String> params(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : value.isArray() ? value : List.of(value)) {
            if (v.isValueNode()) {
                values.add(v.asText());
            }
        }
        return values.isEmpty() ? null : values;
    }
}
