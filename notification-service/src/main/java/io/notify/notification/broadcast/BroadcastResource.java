package io.notify.notification.broadcast;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.notification.Audience;
import io.notify.notification.NotificationView;
import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.notification.quota.QuotaVerdict;
import io.notify.notification.send.SendMetrics;
import io.notify.notification.send.SendPipeline;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The first seed's broadcast API, on the same send path as {@code POST /api/notifications}. */
@Path("/api/broadcast")
@Tag(name = "broadcast (seed-compatible)", description = "The seed's broadcast API, mapped onto sending")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
@APIResponse(responseCode = "200", description = "Already created with this envelope id", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NotificationView.class)))
@APIResponse(responseCode = "400", description = "Invalid envelope; `violations` names each field")
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
@APIResponse(responseCode = "403", description = "The caller may not send to this audience")
@APIResponse(responseCode = "503", description = "The store is busy; retry with the same envelope after Retry-After")
public class BroadcastResource {

    private final SendPipeline sending;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;

    public BroadcastResource(SendPipeline sending, JsonWebToken jwt, VerifiedTokens tokens) {
        this.sending = sending;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @POST
    @Operation(operationId = "broadcastToEveryone", summary = "Broadcast to everyone", description = "Admin only. The seed envelope; its id is the "
            + "idempotency key.")
    public Uni<RestResponse<NotificationView>> everyone(@Valid @NotNull SeedEnvelope envelope) {
        return send(envelope, new Audience("everyone", null, null, null));
    }

    @POST
    @Path("/company/{company}")
    @APIResponse(responseCode = "429", description = QuotaVerdict.OPENAPI_DESCRIPTION, headers = @Header(name = "Retry-After", description = QuotaVerdict.OPENAPI_RETRY_AFTER, schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = "application/problem+json", example = QuotaVerdict.OPENAPI_EXAMPLE))
    @Operation(operationId = "broadcastToCompany", summary = "Broadcast to a company", description = "Every user of the company; stored once. Admins, "
            + "and service accounts scoped to the company.")
    public Uni<RestResponse<NotificationView>> company(@RestPath @Size(min = 1, max = 64) String company, @Valid @NotNull SeedEnvelope envelope) {
        return send(envelope, new Audience("company", null, company, null));
    }

    @POST
    @Path("/role/{role}")
    @APIResponse(responseCode = "429", description = QuotaVerdict.OPENAPI_DESCRIPTION, headers = @Header(name = "Retry-After", description = QuotaVerdict.OPENAPI_RETRY_AFTER, schema = @Schema(type = SchemaType.INTEGER)), content = @Content(mediaType = "application/problem+json", example = QuotaVerdict.OPENAPI_EXAMPLE))
    @Operation(operationId = "broadcastToRole", summary = "Broadcast to a role", description = "Every user with the role, across companies (admin) "
            + "or within `company` (admins, and service accounts scoped to it).")
    public Uni<RestResponse<NotificationView>> role(@RestPath String role,
            @RestQuery @Size(min = 1, max = 64) @Parameter(description = "Only this company's users with the role") String company,
            @Valid @NotNull SeedEnvelope envelope) {
        return send(envelope, new Audience("role", null, company, role));
    }

    private Uni<RestResponse<NotificationView>> send(SeedEnvelope envelope, Audience audience) {
        return sending.send(tokens.caller(jwt), envelope.toRequest(audience), SendMetrics.Path.BROADCAST);
    }
}
