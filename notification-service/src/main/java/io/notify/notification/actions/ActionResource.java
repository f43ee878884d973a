package io.notify.notification.actions;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.problem.OpenApiConventions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/notifications")
@Tag(name = "notifications")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
/** Completing a notification's action button. */
public class ActionResource {

    private final ActionService actions;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;

    public ActionResource(ActionService actions, JsonWebToken jwt, VerifiedTokens tokens) {
        this.actions = actions;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON })
    @POST
    @Path("/{id}/actions/{actionId}")
    @Operation(operationId = "completeAction", summary = "Complete an action", description = "The caller pressed one of "
            + "the notification's buttons. One per notification and reader: repeating the same action answers the "
            + "same completion; another action after it is 409. Every tab and device of the caller is told "
            + "(`action_completed`), the inbox shows it as `completed_action`, and the producer gets an `actioned` "
            + "event on `notification-engagement`.")
    @APIResponse(responseCode = "200", description = "Completed (now, or by an earlier request with the same action)")
    @APIResponse(responseCode = "400", description = "Not an action id; `violations` names it")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox, or it has no such action")
    @APIResponse(responseCode = "409", description = "The caller completed another action of it; the problem's "
            + "`action_id` names that one")
    public ActionCompletion complete(@RestPath UUID id,
            @RestPath @Pattern(regexp = Action.ID, message = Action.ID_MESSAGE)
            @Parameter(description = "One of the notification's `actions[].id`", example = "approve") String actionId) {
        return actions.complete(tokens.caller(jwt), id, actionId);
    }
}
