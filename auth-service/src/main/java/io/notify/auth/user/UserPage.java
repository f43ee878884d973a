package io.notify.auth.user;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

@Schema(description = "A page of the directory; pass `next_cursor` as `cursor` for the next one (null: last page).")
public record UserPage(
        List<UserView> users,
        @JsonProperty("next_cursor") @Schema(nullable = true, example = "dXNlcjE") String nextCursor) {
}
