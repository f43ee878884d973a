package io.notify.notification.delivery;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.problem.OpenApiConventions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Clicks ({@code POST /{id}/clicked}) and delivery statistics ({@code GET /{id}/delivery}). */
@Path("/api/notifications")
@Tag(name = "notifications")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
public class DeliveryResource {

    static final String EXAMPLE = """
            {"notification_id": "7d9f0e2a-61c4-4c7b-8b1e-2f4a5c6d7e8f",
             "audience": {"type": "users", "user_ids": ["u-1001", "u-1002", "u-1003"]}, "audience_size": 3,
             "delivered_users": 2, "delivered_sockets": 3, "read_users": 1, "clicked_users": 0,
             "first_delivered_at": "2025-06-02T09:15:00.181Z", "last_delivered_at": "2025-06-02T09:15:00.214Z",
             "undelivered_user_ids": ["u-1003"]}""";

    private final DeliveryService delivery;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;

    public DeliveryResource(DeliveryService delivery, JsonWebToken jwt, VerifiedTokens tokens) {
        this.delivery = delivery;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/clicked")
    @Operation(operationId = "markClicked", summary = "Record a click", description = "The caller opened the notification's link. Idempotent: "
            + "`clicked_users` and the `clicked` engagement event count each user once.")
    @APIResponse(responseCode = "204", description = "Recorded (or recorded before)")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void clicked(@RestPath UUID id) {
        delivery.clicked(tokens.caller(jwt), id);
    }

    @GET
    @Path("/{id}/delivery")
    @Operation(operationId = "getDelivery", summary = "Delivery statistics", description = """
            What happened to the notification: how many users and sockets acknowledged it (delivered means a device \
            of the user received it and said so, not that the server sent it), read it and opened its link. For \
            `user` and `users` audiences, `undelivered_user_ids` lists the recipients no device acknowledged within \
            `NOTIFY_DELIVERY_TIMEOUT` (60 s by default) of the send, once that time has passed ([] before).

            Visible to the notification's sender (the user or service account whose token sent it) and to an admin \
            of the company it concerns: the company it was addressed to (company and role audiences) or the company \
            of the user who sent it. Anyone else, an admin of another company included, gets 404, as for a \
            notification that does not exist.""")
    @APIResponse(responseCode = "200", description = "The statistics", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class),
            examples = @ExampleObject(name = "users", value = EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such notification, or the caller may not see its delivery")
    public DeliveryView delivery(@RestPath UUID id) {
        return delivery.delivery(tokens.caller(jwt), id);
    }
}
