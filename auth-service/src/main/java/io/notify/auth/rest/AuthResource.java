package io.notify.auth.rest;

import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import io.notify.auth.persistence.UserAccount;
import io.notify.auth.service.AuthService;
import io.notify.auth.service.TokenService;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.security.Authenticated;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/auth")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;
    private final TokenService tokens;
    private final JsonWebToken jwt;

    public AuthResource(AuthService auth, TokenService tokens, JsonWebToken jwt) {
        this.auth = auth;
        this.tokens = tokens;
        this.jwt = jwt;
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log in", description = "Checks username and password and returns an RS256 access token.")
    @APIResponse(responseCode = "200", description = "Logged in")
    @APIResponse(responseCode = "400", description = "Missing or invalid fields")
    @APIResponse(responseCode = "401", description = "Unknown user, wrong password or disabled account (indistinguishable)")
    public TokenResponse login(@Valid @NotNull LoginRequest request) {
        return issue(request.username(), request.password());
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Log in (form)", description = "The OAuth 2.0 password-form variant of login, as the seed's clients send it.")
    @APIResponse(responseCode = "200", description = "Logged in")
    @APIResponse(responseCode = "401", description = "Unknown user, wrong password or disabled account")
    public TokenResponse loginForm(@RestForm @NotBlank String username, @RestForm @NotBlank String password) {
        return issue(username, password);
    }

    @GET
    @Path("/me")
    @Authenticated
    @Transactional
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Current user", description = "The account behind the bearer token.")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
    public MeResponse me() {
        UserAccount user = UserAccount.<UserAccount>findByIdOptional(UUID.fromString(jwt.getSubject()))
                .orElseThrow(() -> HttpProblem.valueOf(Response.Status.UNAUTHORIZED, "The account no longer exists"));
        return new MeResponse(user.id.toString(), user.username, user.displayName, user.email, user.company.slug,
                user.roles);
    }

    private TokenResponse issue(String username, String password) {
        UserAccount user = auth.authenticate(username, password)
                .orElseThrow(() -> HttpProblem.builder()
                        .withStatus(Response.Status.UNAUTHORIZED)
                        .withTitle("Invalid credentials")
                        .withDetail("Username or password is incorrect")
                        .withHeader("WWW-Authenticate", "Bearer")
                        .build());
        return new TokenResponse(tokens.accessToken(user), "bearer", tokens.accessTokenLifetime().toSeconds());
    }
}
