package io.notify.auth.login;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The OAuth 2.0 token endpoint (RFC 6749): client credentials for service accounts, and refresh. */
@Path("/api/auth/token")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final CredentialVerifier credentials;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final AccessTokens tokens;
    private final GatewayClient gateway;

    public TokenResource(CredentialVerifier credentials, Sessions sessions, LoginThrottle throttle, AccessTokens tokens,
            GatewayClient gateway) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
        this.tokens = tokens;
        this.gateway = gateway;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @SecurityRequirement(name = "client")
    @Operation(operationId = "issueToken", summary = "Token endpoint", description = """
            `grant_type=client_credentials`: a service account authenticates with `client_id` and `client_secret`, \
            either as form fields or as HTTP Basic (not both), and gets an access token with role `service` whose \
            `companies` claim lists the companies it may notify. No refresh token: ask again when it expires. \
            Failed attempts are throttled per client id and per address like logins. \
            Client id `notify-gateway` is the WebSocket gateways' own (secret `NOTIFY_GATEWAY_CLIENT_SECRET`): its \
            token carries role `gateway` and no company, and no service account may take that id. \
            `grant_type=refresh_token`: the same as POST /api/auth/refresh.""")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "client_credentials",
                    value = "grant_type=client_credentials&client_id=billing-service&client_secret=billing-secret-change-me"),
            @ExampleObject(name = "refresh_token",
                    value = "grant_type=refresh_token&refresh_token=q3J0b2tlbi1leGFtcGxlLW5vdC1yZWFsLXRva2VuLXZhbHVl") }))
    @APIResponse(responseCode = "200", description = "A token", content = @Content(
            schema = @Schema(implementation = TokenResponse.class), examples = @ExampleObject(name = "client_credentials",
                    value = "{\"access_token\": \"eyJraWQiOiJ...\", \"token_type\": \"bearer\", \"expires_in\": 900}")))
    @APIResponse(responseCode = "400", description = "Missing fields, unsupported grant type or two client authentications (`error`: invalid_request, unsupported_grant_type)")
    @APIResponse(responseCode = "401", description = "Wrong client credentials or disabled account (`error`: invalid_client), or a bad refresh token (invalid_grant)")
    @APIResponse(responseCode = "429", description = "Too many failed attempts for this client id or address; see `Retry-After`")
    public TokenResponse token(
            @RestForm("grant_type") @NotBlank @Size(max = 64) String grantType,
            @RestForm("client_id") @Size(max = 64) String clientId,
            @RestForm("client_secret") @Size(max = 200) String clientSecret,
            @RestForm("refresh_token") @Size(max = 200) String refreshToken,
            @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpServerRequest http) {
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(clientId, clientSecret, authorization, http);
            case "refresh_token" -> {
                if (refreshToken == null || refreshToken.isBlank()) {
                    throw oauthProblem(Response.Status.BAD_REQUEST, "invalid_request", "refresh_token is required");
                }
                yield AuthResource.refreshed(sessions, refreshToken);
            }
            default -> throw oauthProblem(Response.Status.BAD_REQUEST, "unsupported_grant_type",
                    "grant_type must be client_credentials or refresh_token");
        };
    }

    private TokenResponse clientCredentials(String formId, String formSecret, String authorization, HttpServerRequest http) {
        Optional<String[]> basic = basic(authorization);
        boolean inForm = formId != null || formSecret != null;
        if (basic.isPresent() && inForm) {
            throw oauthProblem(Response.Status.BAD_REQUEST, "invalid_request",
                    "Authenticate the client either with HTTP Basic or with form fields, not both");
        }
        String clientId = basic.map(b -> b[0]).orElse(formId);
        String secret = basic.map(b -> b[1]).orElse(formSecret);
        if (clientId == null || clientId.isBlank() || secret == null || secret.isEmpty()) {
            throw invalidClient();
        }
        Optional<String> token = throttle.attempt(clientId, ClientAddress.of(http), false,
                () -> GatewayClient.isGatewayClientId(clientId)
                        ? Optional.of(secret).filter(gateway::authenticates).map(s -> tokens.gatewayToken())
                        : credentials.authenticateClient(clientId, secret).map(tokens::serviceToken));
        return token.map(t -> TokenResponse.accessOnly(t, tokens.accessTokenLifetime().toSeconds()))
                .orElseThrow(TokenResource::invalidClient);
    }

    /** RFC 6749 2.3.1: client id and secret are form-urlencoded before they go into Basic. */
    private static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidClient();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw invalidClient();
        }
        return Optional.of(new String[] { URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8) });
    }

    private static HttpProblem invalidClient() {
        return HttpProblem.builder()
                .withStatus(Response.Status.UNAUTHORIZED)
                .withTitle("Invalid client")
                .withDetail("Client authentication failed")
                .withHeader("WWW-Authenticate", "Basic realm=\"notify\"")
                .with("error", "invalid_client")
                .build();
    }

    private static HttpProblem oauthProblem(Response.Status status, String error, String detail) {
        return HttpProblem.builder().withStatus(status).withTitle(status.getReasonPhrase()).withDetail(detail)
                .with("error", error).build();
    }
}
