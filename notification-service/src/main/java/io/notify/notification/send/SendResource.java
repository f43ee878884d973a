package io.notify.notification.send;

import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.notify.notification.NotificationView;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.notification.quota.QuotaVerdict;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Sending over REST: {@code POST /api/notifications} (any audience) and {@code /broadcast} (a list of users). */
@Path("/api/notifications")
@Tag(name = "notifications", description = "Sending, the caller's inbox, read state, preferences and delivery figures")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
public class SendResource {

    private final SendPipeline sending;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;
    private final ScheduledSends scheduled;

    public SendResource(SendPipeline sending, JsonWebToken jwt, VerifiedTokens tokens, ScheduledSends scheduled) {
        this.scheduled = scheduled;
        this.sending = sending;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "sendNotification", summary = "Send a notification", description = "Stores the notification and pushes it to every "
            + "connected socket of its audience. `admin` may address anyone; a `service` account the companies "
            + "of its scope; a `user` only users of their own company. Each send counts against send quotas per "
            + "minute (its company's, the service account's, the user's): over one, 429. Retrying with the same "
            + "`idempotency_key` creates nothing new and answers 200 with the stored notification. Keys are per "
            + "sender: another sender's key is simply a new key. With `send_at`, the send is authorized and counted now, "
            + "kept, and sent at that time (202); a retry with the same key answers the same scheduled send.")
    @APIResponse(responseCode = "202", description = "Scheduled: `send_at` was given; the answer names the scheduled send (its `id` is the notification's to be)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduledSend.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "200", description = "Already created with this idempotency key", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; `violations` names each field")
    @APIResponse(responseCode = "403", description = "The caller may not send to this audience")
    @APIResponse(responseCode = "429", description = QuotaVerdict.OPENAPI_DESCRIPTION, headers = @Header(name = "Retry-After", description = QuotaVerdict.OPENAPI_RETRY_AFTER, schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = "application/problem+json", example = QuotaVerdict.OPENAPI_EXAMPLE))
    @APIResponse(responseCode = "503", description = "The store is busy; retry with the same idempotency key after Retry-After")
    public Uni<RestResponse<NotificationView>> send(@NotNull NotificationRequest request) {
        return sending.send(caller(), request); // validates it (once: no @Valid here)
    }

    @POST
    @Path("/broadcast")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "sendToUsers", summary = "Send to a list of users", description = "One notification for `user_ids`, stored once "
            + "with one recipient row per user. Same rules as sending.")
    @APIResponse(responseCode = "202", description = "Scheduled: `send_at` was given; the answer names the scheduled send (its `id` is the notification's to be)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduledSend.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "200", description = "Already created with this idempotency key", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; `violations` names each field")
    @APIResponse(responseCode = "403", description = "The caller may not send to these users")
    @APIResponse(responseCode = "429", description = QuotaVerdict.OPENAPI_DESCRIPTION, headers = @Header(name = "Retry-After", description = QuotaVerdict.OPENAPI_RETRY_AFTER, schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = "application/problem+json", example = QuotaVerdict.OPENAPI_EXAMPLE))
    @APIResponse(responseCode = "503", description = "The store is busy; retry with the same idempotency key after Retry-After")
    public Uni<RestResponse<NotificationView>> broadcast(@Valid @NotNull UsersBroadcast broadcast) {
        return sending.send(caller(), broadcast.toRequest(), SendMetrics.Path.BROADCAST);
    }

    @GET
    @Path("/scheduled")
    @Operation(operationId = "listScheduledSends", summary = "The caller's scheduled sends", description = "The caller's "
            + "sends with `send_at` not sent yet, soonest first, at most " + ScheduledSends.LIST_LIMIT + ". Cancel one "
            + "with `DELETE /api/notifications/{id}`.")
    @APIResponse(responseCode = "200", description = "The pending scheduled sends", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = ScheduledSend.class)))
    @Blocking
    public List<ScheduledSend> scheduled() {
        return scheduled.pending(SendPipeline.scope(caller()));
    }

    private Caller caller() {
        return tokens.caller(jwt);
    }
}
