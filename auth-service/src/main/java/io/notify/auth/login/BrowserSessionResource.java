package io.notify.auth.login;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestResponse;

import io.notify.auth.AuthConfig;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

/**
 * The browser's session: the refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to this path, so no
 * script (an injected one included) can read it; the access token is only in the response body, for the page to keep
 * in memory. A reload restores the session with {@code POST /api/auth/session/refresh}.
 *
 * <p>Cross-site requests: the cookie is SameSite=Strict (a browser never sends it from another site), and every
 * operation here also requires the header {@value #CSRF_HEADER}, which a cross-origin page can only send after a CORS
 * preflight that no origin passes (the services allow none); a {@code Sec-Fetch-Site: cross-site} request is refused
 * as well. So a form or script on another site can neither log a victim in nor refresh nor end their session.
 */
@Path("/api/auth/session")
@Tag(name = "browser session", description = "Login, refresh and logout for browsers: the refresh token in an HttpOnly cookie")
@Produces(MediaType.APPLICATION_JSON)
public class BrowserSessionResource {

    /** The cookie holding the refresh token. */
    public static final String COOKIE = "notify_refresh";
    /** Scopes the cookie: only this resource's requests carry it. */
    static final String COOKIE_PATH = "/api/auth/session";
    /** The header every request here must carry (any value): a cross-origin page cannot send it without a preflight. */
    public static final String CSRF_HEADER = "X-Notify-Csrf";

    private static final String SESSION_EXAMPLE = """
            {"access_token": "eyJraWQiOiJ...", "token_type": "bearer", "expires_in": 900, "refresh_expires_in": 604800}""";

    private final PasswordLogin logins;
    private final Sessions sessions;
    private final boolean secure;

    public BrowserSessionResource(PasswordLogin logins, Sessions sessions, AuthConfig config) {
        this.logins = logins;
        this.sessions = sessions;
        this.secure = config.sessionCookie().secure();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startBrowserSession", summary = "Log in (browser)", description = "As `POST /api/auth/login`, "
            + "but the refresh token is set as an HttpOnly, Secure, SameSite=Strict cookie `" + COOKIE + "` (path `"
            + COOKIE_PATH + "`) instead of returned: keep the access token in memory only.")
    @Parameter(name = CSRF_HEADER, in = ParameterIn.HEADER, required = true, description = "Any value, e.g. `1`",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING))
    @RequestBody(content = @Content(examples = @ExampleObject(name = "user1",
            value = "{\"username\": \"user1\", \"password\": \"wkwkwk\"}")))
    @APIResponse(responseCode = "200", description = "Logged in; `Set-Cookie` holds the refresh token",
            content = @Content(schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "session", value = SESSION_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "Missing or invalid fields (each named under `violations`)")
    @APIResponse(responseCode = "401", description = "Unknown user, wrong password or disabled account (indistinguishable)")
    @APIResponse(responseCode = "403", description = "Without the `" + CSRF_HEADER + "` header, or a cross-site request")
    @APIResponse(responseCode = "429", description = "Too many failed attempts for this username or address; see `Retry-After`")
    public RestResponse<TokenResponse> start(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http,
            @RestHeader(CSRF_HEADER) String csrf, @RestHeader("Sec-Fetch-Site") String fetchSite) {
        sameSite(csrf, fetchSite);
        return withCookie(logins.login(request.username(), request.password(), http));
    }

    @POST
    @Path("/refresh")
    @Operation(operationId = "refreshBrowserSession", summary = "Refresh (browser)", description = "Trades the session "
            + "cookie's refresh token for a new access token and rotates the cookie. A used-up token sent again revokes "
            + "the session, as `POST /api/auth/refresh` does.")
    @Parameter(name = CSRF_HEADER, in = ParameterIn.HEADER, required = true, description = "Any value, e.g. `1`",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A new access token; `Set-Cookie` holds the rotated refresh token",
            content = @Content(schema = @Schema(implementation = TokenResponse.class),
                    examples = @ExampleObject(name = "session", value = SESSION_EXAMPLE)))
    @APIResponse(responseCode = "401", description = "No session cookie, or its token is unknown, expired, used up or "
            + "revoked (the cookie is cleared)")
    @APIResponse(responseCode = "403", description = "Without the `" + CSRF_HEADER + "` header, or a cross-site request")
    public RestResponse<TokenResponse> refresh(@RestCookie(COOKIE) String refreshToken,
            @RestHeader(CSRF_HEADER) String csrf, @RestHeader("Sec-Fetch-Site") String fetchSite) {
        sameSite(csrf, fetchSite);
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 200) {
            throw AuthResource.invalidRefreshToken().withHeader("Set-Cookie", cleared()).build();
        }
        return sessions.refresh(refreshToken).map(this::withCookie)
                .orElseThrow(() -> AuthResource.invalidRefreshToken().withHeader("Set-Cookie", cleared()).build());
    }

    @DELETE
    @Operation(operationId = "endBrowserSession", summary = "Log out (browser)", description = "Revokes the session "
            + "of the cookie's refresh token and clears the cookie. Without a cookie, or with an unknown token, it only "
            + "clears it: logout always answers 204.")
    @Parameter(name = CSRF_HEADER, in = ParameterIn.HEADER, required = true, description = "Any value, e.g. `1`",
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING))
    @APIResponse(responseCode = "204", description = "The session is revoked and the cookie cleared")
    @APIResponse(responseCode = "403", description = "Without the `" + CSRF_HEADER + "` header, or a cross-site request")
    public RestResponse<Void> end(@RestCookie(COOKIE) String refreshToken, @RestHeader(CSRF_HEADER) String csrf,
            @RestHeader("Sec-Fetch-Site") String fetchSite) {
        sameSite(csrf, fetchSite);
        if (refreshToken != null && !refreshToken.isBlank() && refreshToken.length() <= 200) {
            sessions.logout(refreshToken);
        }
        return RestResponse.ResponseBuilder.<Void>noContent().header("Set-Cookie", cleared()).build();
    }

    private RestResponse<TokenResponse> withCookie(Sessions.Tokens tokens) {
        NewCookie cookie = cookie(tokens.refreshToken(), (int) Math.min(Integer.MAX_VALUE, tokens.refreshExpiresIn()));
        return RestResponse.ResponseBuilder.ok(new TokenResponse(tokens.accessToken(), "bearer", tokens.expiresIn(), null,
                tokens.refreshExpiresIn())).cookie(cookie).build();
    }

    private String cleared() {
        return cookie("", 0).toString();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path(COOKIE_PATH).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    private static void sameSite(String csrf, String fetchSite) {
        if (csrf == null || csrf.isBlank() || "cross-site".equalsIgnoreCase(fetchSite)) {
            throw HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Cross-site request refused")
                    .withDetail("Browser session requests must come from the app's own origin with the " + CSRF_HEADER
                            + " header")
                    .build();
        }
    }
}
