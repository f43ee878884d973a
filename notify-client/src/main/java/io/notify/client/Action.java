package io.notify.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A button on a notification ({@link Notification.Builder#action}): each reader may complete one of a notification's
 * actions, and the producer learns which from the {@code actioned} event on {@code notification-engagement}.
 *
 * @param id unique within the notification: 1 to 40 letters, digits, {@code _} or {@code -}, starting with a letter
 *        or digit
 * @param label what the button says, at most 40 characters
 * @param style null for the service's default, {@link Style#SECONDARY}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(String id, String label, Style style) {

    /** How prominent the button is. */
    public enum Style {
        PRIMARY, SECONDARY, DANGER;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
