package io.notify.gateway.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The part of a notification-service event the gateway needs. The notification itself is kept as
 * a JSON tree: the gateway forwards it, it does not interpret it.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotificationEvent(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("schema_version") int schemaVersion,
        String kind,
        long seq,
        Audience audience,
        ObjectNode notification,
        ObjectNode preferences) {
}
