package io.notify.auth.user;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.auth.ClientErrors;
import io.notify.auth.user.UserDirectory.Viewer;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The user directory (read by users, services and admins, each seeing only what its token allows)
 * and user administration (admins).
 */
@Path("/api/auth/users")
@Tag(name = "users", description = "The user directory and user administration")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
public class UserResource {

    static final int MAX_IDS = 200;
    static final String USER_EXAMPLE = """
            {"id": "00000000-0000-4000-8000-00000000a002", "username": "user1", "display_name": "User One",
             "company": "company_a", "roles": ["user"], "enabled": true}""";

    private final UserDirectory directory;
    private final SecurityIdentity identity;

    public UserResource(UserDirectory directory, SecurityIdentity identity) {
        this.directory = directory;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ "admin", "user", "service" })
    @Operation(operationId = "listUsers", summary = "List or look up users", description = """
            With `id` (repeatable, at most 200): those users, leaving out ids that are unknown or not visible \
            (no error, so nothing is learned about other tenants). Without `id`: every visible user, in username \
            order, `limit` per page. Visible: everyone for an admin; the own company for a user token; the \
            `companies` of a service token. `company` narrows further. `email` and `created_at` only for admins.""")
    @APIResponse(responseCode = "200", description = "The visible users", content = @Content(
            schema = @Schema(implementation = UserPage.class), examples = @ExampleObject(name = "page",
                    value = "{\"users\": [" + USER_EXAMPLE + "], \"next_cursor\": null}")))
    @APIResponse(responseCode = "400", description = "Malformed `id`, `limit` or `cursor`")
    public UserPage list(
            @RestQuery("id") @Parameter(description = "User id; repeat for several", example = "[\"00000000-0000-4000-8000-00000000a002\"]")
            List<String> id,
            @RestQuery @Size(max = 64) @Parameter(description = "Only this company", example = "company_a") String company,
            @RestQuery("limit") @DefaultValue("50") @Min(1) @Max(200) @Parameter(description = "Page size (1-200)") int limit,
            @RestQuery @Size(max = 200) @Parameter(description = "`next_cursor` of the previous page") String cursor) {
        Viewer viewer = Viewer.of(identity);
        List<UUID> ids = parseIds(id == null ? List.of() : id);
        UserDirectory.Page page = directory.list(viewer, ids, Optional.ofNullable(company), limit, Optional.ofNullable(cursor));
        return new UserPage(page.users().stream().map(u -> UserView.of(u, viewer.admin())).toList(), page.nextCursor());
    }

    @GET
    @Path("/count")
    @RolesAllowed({ "admin", "service" })
    @Operation(operationId = "countUsers", summary = "Count users", description = """
            How many enabled users the caller may see, narrowed to `company` and to holders of `role` when given: \
            the size of a company, role or everyone audience (notification-service stores it with each such send, \
            asked with the sender's token). An admin counts every company; a service account the companies of its \
            scope (another company counts 0). Users may not count (403).""")
    @APIResponse(responseCode = "200", description = "The count", content = @Content(
            schema = @Schema(implementation = UserCount.class), examples = @ExampleObject(name = "company",
                    value = "{\"count\": 2}")))
    @APIResponse(responseCode = "400", description = "Malformed `company` or `role`")
    public UserCount count(
            @RestQuery @Size(max = 64) @Parameter(description = "Only this company", example = "company_a") String company,
            @RestQuery @jakarta.validation.constraints.Pattern(regexp = "user|admin|service",
                    message = "must be one of user, admin, service")
            @Parameter(description = "Only holders of this role", example = "user") String role) {
        return new UserCount(directory.count(Viewer.of(identity), Optional.ofNullable(company), Optional.ofNullable(role)));
    }

    /** A number of users. */
    @Schema(description = "A number of users.")
    public record UserCount(long count) {
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "admin", "user", "service" })
    @Operation(operationId = "getUser", summary = "One user", description = "404 for unknown users and for users the caller may not see alike.")
    @APIResponse(responseCode = "200", description = "The user", content = @Content(
            schema = @Schema(implementation = UserView.class), examples = @ExampleObject(name = "user1", value = USER_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such user visible to the caller")
    public UserView get(@RestPath UUID id) {
        Viewer viewer = Viewer.of(identity);
        return directory.get(viewer, id).map(u -> UserView.of(u, viewer.admin())).orElseThrow(() -> ClientErrors.notFound("User"));
    }

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createUser", summary = "Create a user", description = "Admins only. The password must satisfy the password policy "
            + "(minimum length, at most 72 bytes, not containing the username).")
    @APIResponse(responseCode = "201", description = "Created; `Location` names it", content = @Content(
            schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, weak password or unknown company (named under `violations`)")
    @APIResponse(responseCode = "409", description = "Username taken")
    public Response create(@Valid @NotNull CreateUserRequest request) {
        UserView created = UserView.of(directory.create(request), true);
        return Response.created(URI.create("/api/auth/users/" + created.id())).entity(created).build();
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateUser", summary = "Change a user", description = "Admins only: display name, email, password, company, roles, "
            + "enabled. Disabling a user or setting a password revokes all of the user's sessions, so a disabled user "
            + "can neither log in nor refresh.")
    @APIResponse(responseCode = "200", description = "The changed user", content = @Content(
            schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, weak password or unknown company")
    @APIResponse(responseCode = "404", description = "No such user")
    @APIResponse(responseCode = "409", description = "An admin tried to disable themselves or drop their own admin role")
    public UserView update(@RestPath UUID id, @Valid @NotNull UpdateUserRequest request) {
        return directory.update(Viewer.of(identity), id, request).map(u -> UserView.of(u, true))
                .orElseThrow(() -> ClientErrors.notFound("User"));
    }

    private static List<UUID> parseIds(List<String> ids) {
        if (ids.size() > MAX_IDS) {
            throw ClientErrors.invalidField("id", "query", "at most " + MAX_IDS + " ids per request");
        }
        try {
            return ids.stream().map(UUID::fromString).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw ClientErrors.invalidField("id", "query", "must be a UUID");
        }
    }
}
