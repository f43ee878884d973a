package io.notify.notification.inbox;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The muted types of many users at once ({@code POST /api/notifications/preferences/muted}), as the gateway loads them. */
public final class MutedTypes {

    /** Most tokens in one request. */
    public static final int MAX_TOKENS = 100;

    private MutedTypes() {
    }

    @RegisterForReflection
    @Schema(name = "MutedTypesRequest", description = "Access tokens of the users whose muted types are asked for, 1 to 100.",
            example = "{\"tokens\": [\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln\", \"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MiJ9.c2ln\"]}")
    public record Request(
            @NotNull @Size(min = 1, max = MAX_TOKENS) List<@NotNull @Size(max = 8192) String> tokens) {
    }

    @RegisterForReflection
    @Schema(name = "MutedTypesAnswer", description = "One result per token, in the order of the tokens.",
            example = "{\"results\": [{\"user_id\": \"u1\", \"muted\": [\"digest\"]}, {\"error\": \"invalid_token\"}]}")
    public record Answer(List<Result> results) {
    }

    /** A token's holder and the types they switched off, or why the token was not honoured. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "MutedTypesResult", description = "The token's holder and the types they switched off (urgent notifications of those types "
            + "still get through), or `error` (`invalid_token`: not a valid access token) and nothing else.")
    public record Result(
            @JsonProperty("user_id") String userId,
            List<String> muted,
            @Schema(enumeration = { "invalid_token" }) String error) {

        static final Result INVALID_TOKEN = new Result(null, null, "invalid_token");

        static Result of(String userId, List<String> muted) {
            return new Result(userId, muted, null);
        }
    }
}
