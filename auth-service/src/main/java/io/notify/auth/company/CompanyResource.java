package io.notify.auth.company;

import java.net.URI;
import java.util.List;

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
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/auth/companies")
@Tag(name = "companies", description = "Companies (tenants); admins only")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@RolesAllowed("admin")
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
@APIResponse(responseCode = "403", description = "The caller is not an admin")
public class CompanyResource {

    private final Companies companies;

    public CompanyResource(Companies companies) {
        this.companies = companies;
    }

    @GET
    @Operation(operationId = "listCompanies", summary = "List companies", description = "All companies, by slug.")
    @APIResponse(responseCode = "200", description = "The companies", content = @Content(
            schema = @Schema(implementation = CompanyView.class, type = SchemaType.ARRAY),
            examples = @ExampleObject(name = "companies",
                    value = "[{\"slug\": \"company_a\", \"name\": \"Company A\", \"created_at\": \"2026-01-01T00:00:00Z\", \"send_quota_per_minute\": null}]")))
    public List<CompanyView> list() {
        return companies.list().stream().map(CompanyView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCompany", summary = "Create a company", description = "The slug is what tokens carry in `company`; it cannot change.")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = CompanyView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields")
    @APIResponse(responseCode = "409", description = "Slug taken")
    public Response create(@Valid @NotNull CreateCompanyRequest request) {
        CompanyView created = CompanyView.of(companies.create(request.slug(), request.name()));
        return Response.created(URI.create("/api/auth/companies/" + created.slug())).entity(created).build();
    }

    @PUT
    @Path("/{slug}/send-quota")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setCompanySendQuota", summary = "Set a company's send quota", description = """
            Sends per minute notification-service admits for the company (every send addressed to it or to its users), \
            counted across all its instances; over it a REST send answers 429 and a Kafka request waits for the next \
            minute. Applies within seconds (published on `user-changes`).""")
    @APIResponse(responseCode = "200", description = "The company", content = @Content(schema = @Schema(implementation = CompanyView.class)))
    @APIResponse(responseCode = "400", description = "Invalid `per_minute`")
    @APIResponse(responseCode = "404", description = "No such company")
    public CompanyView setSendQuota(@RestPath String slug, @Valid @NotNull SendQuotaRequest request) {
        return companies.setSendQuota(slug, request.perMinute()).map(CompanyView::of)
                .orElseThrow(() -> ClientErrors.notFound("Company"));
    }

    @DELETE
    @Path("/{slug}/send-quota")
    @Operation(operationId = "clearCompanySendQuota", summary = "Clear a company's send quota", description = "Back to notification-service's default.")
    @APIResponse(responseCode = "200", description = "The company", content = @Content(schema = @Schema(implementation = CompanyView.class)))
    @APIResponse(responseCode = "404", description = "No such company")
    public CompanyView clearSendQuota(@RestPath String slug) {
        return companies.setSendQuota(slug, null).map(CompanyView::of).orElseThrow(() -> ClientErrors.notFound("Company"));
    }
}
