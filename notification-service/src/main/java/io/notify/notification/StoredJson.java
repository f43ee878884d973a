package io.notify.notification;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.notification.actions.Action;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A notification's JSON columns ({@code data}, {@code actions}) read from their text, for the statements that map
 * their rows straight to {@link NotificationView} (the send writer's answer, the inbox's lists).
 */
@ApplicationScoped
public class StoredJson {

    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };
    private static final TypeReference<List<Action>> ACTIONS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public StoredJson(ObjectMapper json) {
        this.json = json;
    }

    public Map<String, Object> data(String data) {
        try {
            return json.readValue(data, DATA);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored data", e);
        }
    }

    /** Null (no buttons) stays null. */
    public List<Action> actions(String actions) {
        try {
            return actions == null ? null : json.readValue(actions, ACTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored actions", e);
        }
    }
}
