package io.notify.notification.rest;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.notification.event.NotificationRequest;
import io.notify.notification.event.NotificationView;
import io.notify.notification.service.NotificationService;
import io.notify.notification.service.Reader;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/notifications")
@Tag(name = "notifications")
@Authenticated
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final NotificationService notifications;
    private final JsonWebToken jwt;

    public NotificationResource(NotificationService notifications, JsonWebToken jwt) {
        this.notifications = notifications;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Inbox", description = "The caller's notifications, newest first: those addressed to them, "
            + "their company, their roles and everyone. Page with `before` = the last `seq` of the previous page.")
    @APIResponse(responseCode = "200", description = "A page of notifications")
    @APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
    public List<NotificationView> inbox(
            @RestQuery @Positive @Parameter(description = "Return notifications with a seq below this cursor") Long before,
            @RestQuery @DefaultValue("50") @Min(1) @Max(200) @Parameter(description = "Page size, 1 to 200") int limit) {
        return notifications.inbox(Reader.of(jwt), before, limit);
    }

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a notification", description = "Stores the notification and pushes it to every "
            + "connected socket of its audience. Retrying with the same `idempotency_key` creates nothing new "
            + "and answers 200 with the stored notification.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Already created with this idempotency key")
    @APIResponse(responseCode = "400", description = "Invalid request; `violations` names each field")
    @APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
    @APIResponse(responseCode = "403", description = "The caller may not send to this audience")
    public Response send(@Valid @NotNull NotificationRequest request) {
        NotificationService.Sent sent = notifications.send(request, jwt.getName());
        if (!sent.created()) {
            return Response.ok(sent.notification()).build();
        }
        return Response.created(URI.create("/api/notifications/" + sent.notification().id()))
                .entity(sent.notification()).build();
    }
}
