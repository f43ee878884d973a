package io.notify.gateway.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.oidc.client.filter.OidcClientFilter;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * notification-service as the socket's user: every call carries the gateway's own token (its client {@code notify-gateway},
 * role {@code gateway}, as {@link PreferenceLoads}) and, in {@value #ACTING_FOR}, the claims of the user's token the
 * gateway verified ({@code SocketUser.actingFor}): the store acts for that user and authorizes a socket action exactly
 * as it would the same REST call from the browser with the user's token, which the socket therefore need not keep
 * (it was the largest thing an idle socket held). Base URL: {@code notify.gateway.store-url}
 * ({@code NOTIFY_NOTIFICATION_SERVICE_URL}); a bounded pool of keep-alive connections
 * ({@code quarkus.rest-client.notification-service.*} in application.properties).
 *
 * <p>The socket actions answer with the store's status and body as they are ({@link Response}): the
 * gateway turns a refusal into the client's {@code error} frame. Each is bounded by {@code @Timeout} and
 * a circuit breaker (a store that is down fails calls at once instead of holding them); the reads are
 * retried once on a failure to reach the store.
 *
 * <p>The gateway's own calls (the muted types of many users) go through {@link PreferenceLoads}, with its own token.
 */
@RegisterRestClient(configKey = "notification-service")
@OidcClientFilter
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
public interface NotificationStoreClient {

    /** The header naming the user the gateway acts for (notification-service's {@code ActingFor}). */
    String ACTING_FOR = "Notify-Acting-For";

    @GET
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> list(@HeaderParam(ACTING_FOR) String actingFor, @QueryParam("cursor") List<String> cursor,
            @QueryParam("limit") List<String> limit, @QueryParam("unread") List<String> unread,
            @QueryParam("type") List<String> types, @QueryParam("priority") List<String> priorities,
            @QueryParam("order") List<String> order, @QueryParam("archived") List<String> archived);

    @GET
    @Path("/unread-count")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> unreadCount(@HeaderParam(ACTING_FOR) String actingFor);

    /** Everything since {@code after}, as {@code {status, last_seq, events}} (or a reason to resync). */
    @GET
    @Path("/resume")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> resume(@HeaderParam(ACTING_FOR) String actingFor, @QueryParam("after") long after);

    @POST
    @Path("/{id}/read")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> markRead(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id);

    /** The user opened the notification's link (notification-service counts a user's clicks once). */
    @POST
    @Path("/{id}/clicked")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> clicked(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id);

    /** The user completed one of the notification's actions: {@code {action_id, completed_at}}, 409 for another one. */
    @POST
    @Path("/{id}/actions/{actionId}")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> completeAction(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id,
            @PathParam("actionId") String actionId);

    @POST
    @Path("/read-all")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> markAllRead(@HeaderParam(ACTING_FOR) String actingFor, @QueryParam("up_to") Long upTo);

    /** {@code body}: {@code {"up_to": seq}} or {@code {}} (everything so far). */
    @POST
    @Path("/seen")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> markSeen(@HeaderParam(ACTING_FOR) String actingFor, JsonNode body);

    /** A body-less change of one notification: {@code action} is {@code archive}, {@code unarchive} or {@code unsnooze}. */
    @POST
    @Path("/{id}/{action}")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> change(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id,
            @PathParam("action") String action);

    /** {@code body}: {@code {"until": "<ISO-8601>"}}. */
    @POST
    @Path("/{id}/snooze")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> snooze(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id, JsonNode body);

    @DELETE
    @Path("/{id}")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> delete(@HeaderParam(ACTING_FOR) String actingFor, @PathParam("id") String id);

    /** {@code notification} is the body of {@code POST /api/notifications}, as the client sent it. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> send(@HeaderParam(ACTING_FOR) String actingFor, JsonNode notification);
}
