package io.notify.client;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How urgent a notification is; urgent ones get through a reader's muted types. */
public enum Priority {
    LOW, NORMAL, HIGH, URGENT;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
