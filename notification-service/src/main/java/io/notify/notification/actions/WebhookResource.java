package io.notify.notification.actions;

import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.notification.identity.Caller;
import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.problem.OpenApiConventions;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/notifications/webhook")
@Tag(name = "notifications")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
/** A service account's webhook for the {@code actioned} events of what it sent, and its deliveries. */
public class WebhookResource {

    private final Webhooks webhooks;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;

    public WebhookResource(Webhooks webhooks, JsonWebToken jwt, VerifiedTokens tokens) {
        this.webhooks = webhooks;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    /** {@code PUT}'s body. */
    @Schema(example = "{\"url\": \"https://billing.example.com/notify-hooks\"}")
    public record WebhookUrl(@NotNull @Size(max = 2048) @Pattern(regexp = "https?://[^\\s]+", message = "must be an http(s) URL")
            @WebhookAddresses.Public String url) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(operationId = "setWebhook", summary = "Set the webhook", description = "Service accounts only. From now on "
            + "every `actioned` event of a notification this account sent is POSTed to `url` as JSON (the event of "
            + "`notification-engagement`), with header `X-Notify-Signature: sha256=<hex HMAC-SHA256 of the raw body under "
            + "the secret>` and `X-Notify-Event-Id`; a non-2xx answer or no answer is retried with exponential backoff "
            + "until `NOTIFY_WEBHOOKS_GIVE_UP_AFTER` (24 h), then the delivery is `failed`. Answers a new `secret`, "
            + "shown this once (setting the URL again replaces it).")
    @APIResponse(responseCode = "200", description = "The webhook with its new secret")
    @APIResponse(responseCode = "400", description = "Not an http(s) URL, or its host does not resolve to a public address "
            + "(loopback, private, link-local: refused unless `NOTIFY_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=true`); `violations` names it")
    @APIResponse(responseCode = "403", description = "Not a service account")
    public Webhooks.Webhook set(@Valid @NotNull WebhookUrl body) {
        return webhooks.set(caller().userId(), body.url());
    }

    @GET
    @RolesAllowed(Roles.SERVICE)
    @Operation(operationId = "getWebhook", summary = "The webhook", description = "The account's webhook URL (never the secret).")
    @APIResponse(responseCode = "200", description = "The webhook")
    @APIResponse(responseCode = "403", description = "Not a service account")
    @APIResponse(responseCode = "404", description = "None set")
    public Webhooks.Webhook get() {
        Webhooks.Webhook webhook = webhooks.get(caller().userId());
        if (webhook == null) {
            throw notFound();
        }
        return webhook;
    }

    @DELETE
    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON })
    @RolesAllowed(Roles.SERVICE)
    @Operation(operationId = "deleteWebhook", summary = "Remove the webhook", description = "No more calls are queued.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", description = "Not a service account")
    @APIResponse(responseCode = "404", description = "None set")
    public void delete() {
        if (!webhooks.remove(caller().userId())) {
            throw notFound();
        }
    }

    @GET
    @Path("/deliveries")
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "listWebhookDeliveries", summary = "Webhook deliveries", description = "The newest 100: a "
            + "service account's own; an admin's, those of actions taken by users of their company. `status`: "
            + "`pending`, `delivered` or `failed` (given up).")
    @APIResponse(responseCode = "200", description = "The deliveries, newest first")
    @APIResponse(responseCode = "400", description = "Unknown status")
    @APIResponse(responseCode = "403", description = "Neither a service account nor an admin")
    public List<Webhooks.Delivery> deliveries(@RestQuery @Pattern(regexp = "pending|delivered|failed",
            message = "must be one of pending, delivered, failed") @Parameter(description = "Only these") String status) {
        Caller caller = caller();
        return caller.isService() ? webhooks.deliveries(caller.userId(), null, status)
                : webhooks.deliveries(null, caller.company(), status);
    }

    private Caller caller() {
        return tokens.caller(jwt);
    }

    private static HttpProblem notFound() {
        return HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                .withDetail("No webhook set for this account").build();
    }
}
