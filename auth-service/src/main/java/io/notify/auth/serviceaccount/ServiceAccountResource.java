package io.notify.auth.serviceaccount;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import io.notify.auth.ClientErrors;
import io.notify.auth.company.SendQuotaRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/auth/service-accounts")
@Tag(name = "service accounts", description = "Backend producers using the client-credentials grant; admins only")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@RolesAllowed("admin")
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
@APIResponse(responseCode = "403", description = "The caller is not an admin")
public class ServiceAccountResource {

    static final String ACCOUNT_EXAMPLE = """
            {"id": "6b1f3c2e-0f4a-4d8e-9d1c-3f0e2a7b9c10", "client_id": "crm-service", "name": "CRM",
             "companies": ["company_a", "company_b"], "enabled": true, "created_at": "2026-01-01T00:00:00Z",
             "client_secret": "Vq7p3ZbX9yJm2Lr8sT4wK1nD6hF0cG5aE3uI9oPqRsT"}""";

    private final ServiceAccounts accounts;

    public ServiceAccountResource(ServiceAccounts accounts) {
        this.accounts = accounts;
    }

    @GET
    @Operation(operationId = "listServiceAccounts", summary = "List service accounts", description = "All service accounts, by client id; secrets are never shown again.")
    @APIResponse(responseCode = "200", description = "The accounts", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class, type = SchemaType.ARRAY)))
    public List<ServiceAccountView> list() {
        return accounts.list().stream().map(a -> ServiceAccountView.of(a, null)).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createServiceAccount", summary = "Create a service account", description = "Generates the client secret and shows it this once.")
    @APIResponse(responseCode = "201", description = "Created, with its `client_secret`", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class),
            examples = @ExampleObject(name = "created", value = ACCOUNT_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Invalid fields or unknown company")
    @APIResponse(responseCode = "409", description = "Client id taken")
    public Response create(@Valid @NotNull CreateServiceAccountRequest request) {
        ServiceAccounts.WithSecret created = accounts.create(request);
        return Response.created(URI.create("/api/auth/service-accounts/" + created.account().id))
                .entity(ServiceAccountView.of(created.account(), created.secret())).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateServiceAccount", summary = "Change a service account", description = "Name, companies, enabled. A disabled account gets no "
            + "new tokens; tokens already issued stay valid until they expire.")
    @APIResponse(responseCode = "200", description = "The changed account", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields or unknown company")
    @APIResponse(responseCode = "404", description = "No such service account")
    public ServiceAccountView update(@RestPath UUID id, @Valid @NotNull UpdateServiceAccountRequest request) {
        return accounts.update(id, request).map(a -> ServiceAccountView.of(a, null))
                .orElseThrow(() -> ClientErrors.notFound("Service account"));
    }

    @PUT
    @Path("/{id}/send-quota")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setServiceAccountSendQuota", summary = "Set a service account's send quota", description = """
            Sends per minute notification-service admits from the account over REST, counted across all its instances \
            (its sends count against their companies' quotas too); over it a send answers 429. Applies within seconds \
            (published on `user-changes`).""")
    @APIResponse(responseCode = "200", description = "The account", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class)))
    @APIResponse(responseCode = "400", description = "Invalid `per_minute`")
    @APIResponse(responseCode = "404", description = "No such service account")
    public ServiceAccountView setSendQuota(@RestPath UUID id, @Valid @NotNull SendQuotaRequest request) {
        return accounts.setSendQuota(id, request.perMinute()).map(a -> ServiceAccountView.of(a, null))
                .orElseThrow(() -> ClientErrors.notFound("Service account"));
    }

    @DELETE
    @Path("/{id}/send-quota")
    @Operation(operationId = "clearServiceAccountSendQuota", summary = "Clear a service account's send quota", description = "Back to notification-service's default.")
    @APIResponse(responseCode = "200", description = "The account", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class)))
    @APIResponse(responseCode = "404", description = "No such service account")
    public ServiceAccountView clearSendQuota(@RestPath UUID id) {
        return accounts.setSendQuota(id, null).map(a -> ServiceAccountView.of(a, null))
                .orElseThrow(() -> ClientErrors.notFound("Service account"));
    }

    @POST
    @Path("/{id}/secret")
    @Operation(operationId = "rotateServiceAccountSecret", summary = "Rotate the client secret", description = "Generates a new secret, shown this once; the old one stops working at once.")
    @APIResponse(responseCode = "200", description = "The account with its new `client_secret`", content = @Content(
            schema = @Schema(implementation = ServiceAccountView.class),
            examples = @ExampleObject(name = "rotated", value = ACCOUNT_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such service account")
    public ServiceAccountView rotateSecret(@RestPath UUID id) {
        return accounts.rotateSecret(id).map(w -> ServiceAccountView.of(w.account(), w.secret()))
                .orElseThrow(() -> ClientErrors.notFound("Service account"));
    }
}
