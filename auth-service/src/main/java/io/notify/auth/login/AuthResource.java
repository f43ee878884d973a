package io.notify.auth.login;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import io.notify.auth.company.Company;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.user.Roles;
import io.notify.auth.user.UserAccount;
import io.notify.problem.OpenApiConventions;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/auth")
@Tag(name = "auth", description = "Login, refresh, logout and the current identity")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    static final String TOKENS_EXAMPLE = """
            {"access_token": "eyJraWQiOiJ...", "token_type": "bearer", "expires_in": 900,
             "refresh_token": "q3J0b2tlbi1leGFtcGxlLW5vdC1yZWFsLXRva2VuLXZhbHVl", "refresh_expires_in": 604800}""";

    private final PasswordLogin logins;
    private final Sessions sessions;
    private final JsonWebToken jwt;

    public AuthResource(PasswordLogin logins, Sessions sessions, JsonWebToken jwt) {
        this.logins = logins;
        this.sessions = sessions;
        this.jwt = jwt;
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "login", summary = "Log in", description = "Checks username and password and starts a session: an RS256 access "
            + "token and a single-use refresh token. Failed attempts are throttled per username and per client address.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "user1",
            value = "{\"username\": \"user1\", \"password\": \"wkwkwk\"}")))
    @APIResponse(responseCode = "200", description = "Logged in",
            content = @Content(schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "tokens", value = TOKENS_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Missing or invalid fields (each named under `violations`)")
    @APIResponse(responseCode = "401", description = "Unknown user, wrong password or disabled account (indistinguishable)")
    @APIResponse(responseCode = "429", description = "Too many failed attempts for this username or address; see `Retry-After`")
    public TokenResponse login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        return login(request.username(), request.password(), http);
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Log in (form)", description = "The OAuth 2.0 password-form variant of login, as the seed's clients send it.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "user1", value = "username=user1&password=wkwkwk")))
    @APIResponse(responseCode = "200", description = "Logged in",
            content = @Content(schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "tokens", value = TOKENS_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Missing or invalid fields (each named under `violations`)")
    @APIResponse(responseCode = "401", description = "Unknown user, wrong password or disabled account (indistinguishable)")
    @APIResponse(responseCode = "429", description = "Too many failed attempts for this username or address; see `Retry-After`")
    public TokenResponse loginForm(@RestForm @NotBlank @Size(max = 64) String username,
            @RestForm @NotBlank @Size(max = 200) String password, @Context HttpServerRequest http) {
        return login(username, password, http);
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "refreshToken", summary = "Refresh", description = "Trades a refresh token for a new access token and a new refresh "
            + "token; the one sent is used up. Sending a used-up token again revokes the whole session (theft detection).")
    @APIResponse(responseCode = "200", description = "New tokens",
            content = @Content(schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "tokens", value = TOKENS_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Missing or invalid fields (each named under `violations`)")
    @APIResponse(responseCode = "401", description = "Unknown, expired, used-up or revoked refresh token, or disabled user",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "invalid_grant",
                    value = "{\"status\": 401, \"title\": \"Invalid refresh token\", \"error\": \"invalid_grant\"}")))
    public TokenResponse refresh(@Valid @NotNull RefreshRequest request) {
        return refreshed(sessions, request.refreshToken());
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "logout", summary = "Log out", description = "Revokes the session named by the refresh token in the body, or, "
            + "without one, the session of the bearer token. Access tokens already issued stay valid until they expire "
            + "(at most ACCESS_TOKEN_EXPIRE_MINUTES); the session's refresh tokens stop working at once. "
            + "Unknown tokens are ignored, so logout always answers 204.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "204", description = "The session is revoked")
    @APIResponse(responseCode = "400", description = "Missing or invalid fields (each named under `violations`)")
    @APIResponse(responseCode = "401", description = "Neither a refresh token nor a valid bearer token",
            content = @Content(mediaType = "application/problem+json"))
    public void logout(@RequestBody(required = false) @Valid LogoutRequest request) {
        if (request != null && request.refreshToken() != null && !request.refreshToken().isBlank()) {
            sessions.logout(request.refreshToken());
            return;
        }
        String sid = jwt.getRawToken() == null ? null : jwt.getClaim("sid");
        if (sid == null) {
            throw HttpProblem.builder().withStatus(Response.Status.UNAUTHORIZED).withTitle("Unauthorized")
                    .withDetail("Send the refresh_token of the session, or its bearer access token")
                    .withHeader("WWW-Authenticate", "Bearer").build();
        }
        sessions.logout(UUID.fromString(sid), UUID.fromString(jwt.getSubject()));
    }

    @GET
    @Path("/me")
    @Authenticated
    @Transactional
    @SecurityRequirement(name = "bearer")
    @Operation(operationId = "getCurrentUser", summary = "Current identity", description = "The user (or service account) behind the bearer token.")
    @APIResponse(responseCode = "200", description = "The user", content = @Content(
            schema = @Schema(implementation = MeResponse.class), examples = @ExampleObject(name = "user1", value = """
                    {"id": "00000000-0000-4000-8000-00000000a002", "username": "user1", "display_name": "User One",
                     "email": "user1@company-a.example", "company": "company_a", "roles": ["user"]}""")))
    @APIResponse(responseCode = "401", description = "Missing, invalid or expired token, or the account is disabled")
    public MeResponse me() {
        UUID id = UUID.fromString(jwt.getSubject());
        if (jwt.getGroups().contains(Roles.SERVICE)) {
            ServiceAccount account = ServiceAccount.<ServiceAccount>findByIdOptional(id).filter(a -> a.enabled)
                    .orElseThrow(AuthResource::accountGone);
            return new MeResponse(account.id.toString(), account.clientId, account.name, null, null,
                    java.util.Set.of(Roles.SERVICE),
                    account.companies.stream().map(Company::slug).sorted().toList());
        }
        UserAccount user = UserAccount.<UserAccount>findByIdOptional(id).filter(u -> u.enabled)
                .orElseThrow(AuthResource::accountGone);
        return new MeResponse(user.id.toString(), user.username, user.displayName, user.email, user.company.slug,
                user.roles, null);
    }

    /** Shared by /refresh and the refresh_token grant of /token. */
    static TokenResponse refreshed(Sessions sessions, String refreshToken) {
        return sessions.refresh(refreshToken).map(TokenResponse::of)
                .orElseThrow(() -> invalidRefreshToken().build());
    }

    /** The 401 of a refresh token that is unknown, expired, used up or revoked (OAuth's {@code invalid_grant}). */
    static HttpProblem.Builder invalidRefreshToken() {
        return HttpProblem.builder()
                .withStatus(Response.Status.UNAUTHORIZED)
                .withTitle("Invalid refresh token")
                .withDetail("The refresh token is unknown, expired, used up or revoked; log in again")
                .with("error", "invalid_grant");
    }

    private TokenResponse login(String username, String password, HttpServerRequest http) {
        return TokenResponse.of(logins.login(username, password, http));
    }

    private static HttpProblem accountGone() {
        return HttpProblem.valueOf(Response.Status.UNAUTHORIZED, "The account no longer exists or is disabled");
    }
}
