package io.notify.gateway.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Whose sockets an event goes to (contracts/asyncapi.yaml, notification-events). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Audience(String type, @JsonProperty("user_ids") List<String> userIds, String company, String role, String topic) {
}
