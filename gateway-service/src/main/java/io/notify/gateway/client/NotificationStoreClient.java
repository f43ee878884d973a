package io.notify.gateway.client;

import java.lang.reflect.Method;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
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
 * notification-service as the socket's user: every call carries that user's own token
 * ({@code Authorization: Bearer ...}), so the store authorizes a socket action exactly as it would the
 * same REST call from the browser. Base URL: {@code notify.gateway.store-url}
 * ({@code NOTIFY_NOTIFICATION_SERVICE_URL}); a bounded pool of keep-alive connections
 * ({@code quarkus.rest-client.notification-service.*} in application.properties).
 *
 * <p>The socket actions answer with the store's status and body as they are ({@link Response}): the
 * gateway turns a refusal into the client's {@code error} frame. Each is bounded by {@code @Timeout} and
 * a circuit breaker (a store that is down fails calls at once instead of holding them); the reads are
 * retried once on a failure to reach the store.
 *
 * <p>Preference loads ({@link #mutedTypes}) go out in batches of up to 100 users, at most two at a time
 * ({@code routing.MutedTypes} paces them), so a reconnect storm takes two connections, not the pool. A busy or
 * unreachable store is asked again twice, after about 1 s and then 3 s; a refusal of the call itself (401: the bearer
 * token) fails at once with {@link Refused}.
 */
@RegisterRestClient(configKey = "notification-service")
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
public interface NotificationStoreClient {

    /**
     * The muted types of each token's holder, in the order of the tokens ({@code POST /preferences/muted}):
     * {@code bearer} is one of those tokens, since any user may ask and each token answers only for its holder.
     */
    @POST
    @Path("/preferences/muted")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 1000, jitter = 500, abortOn = Refused.class)
    @ExponentialBackoff(factor = 3)
    @CircuitBreaker(requestVolumeThreshold = 40, failureRatio = 0.75, delay = 5, delayUnit = ChronoUnit.SECONDS,
            skipOn = Refused.class)
    CompletionStage<MutedTypesAnswer> mutedTypes(@HeaderParam("Authorization") String bearer, MutedTypesRequest tokens);

    /** Access tokens, 1 to 100. */
    @RegisterForReflection
    record MutedTypesRequest(List<String> tokens) {
    }

    /** One result per token, in order. */
    @RegisterForReflection
    record MutedTypesAnswer(List<MutedTypesResult> results) {
    }

    /** The token's holder and the types they switched off, or {@code error} ({@code invalid_token}). */
    @RegisterForReflection
    record MutedTypesResult(@JsonProperty("user_id") String userId, List<String> muted, String error) {
    }

    @GET
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> list(@HeaderParam("Authorization") String bearer, @QueryParam("cursor") List<String> cursor,
            @QueryParam("limit") List<String> limit, @QueryParam("unread") List<String> unread,
            @QueryParam("type") List<String> types, @QueryParam("priority") List<String> priorities,
            @QueryParam("order") List<String> order);

    @GET
    @Path("/unread-count")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> unreadCount(@HeaderParam("Authorization") String bearer);

    /** Everything since {@code after}, as {@code {status, last_seq, events}} (or a reason to resync). */
    @GET
    @Path("/resume")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 1, delay = 200)
    CompletionStage<Response> resume(@HeaderParam("Authorization") String bearer, @QueryParam("after") long after);

    @POST
    @Path("/{id}/read")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> markRead(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    /** The user opened the notification's link (notification-service counts a user's clicks once). */
    @POST
    @Path("/{id}/clicked")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> clicked(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    @POST
    @Path("/read-all")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> markAllRead(@HeaderParam("Authorization") String bearer, @QueryParam("up_to") Long upTo);

    @DELETE
    @Path("/{id}")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> delete(@HeaderParam("Authorization") String bearer, @PathParam("id") String id);

    /** {@code notification} is the body of {@code POST /api/notifications}, as the client sent it. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> send(@HeaderParam("Authorization") String bearer, JsonNode notification);

    /** The {@code Authorization} header value for a socket's token. */
    static String bearer(String token) {
        return "Bearer " + token;
    }

    /**
     * A preference load that the store did not answer with 2xx fails ({@link Refused} or
     * {@link Unavailable}); the socket actions get every answer as it is (the default mapper, which would
     * throw for any 4xx/5xx, is off: quarkus.rest-client.notification-service.disable-default-mapper).
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response, Method method) {
        if (!"mutedTypes".equals(method.getName())) {
            return null;
        }
        int status = response.getStatus();
        return status == 401 ? new Refused(status) : new Unavailable(status);
    }

    /** The store refused the call's token (401, e.g. expired since the socket opened): asking again would not help. */
    final class Refused extends IllegalStateException {
        public Refused(int status) {
            super("notification-service answered " + status);
        }
    }

    /**
     * The store is busy or failing (5xx, 429), or answered another status (a store not upgraded yet, say): asking
     * again later may help.
     */
    final class Unavailable extends IllegalStateException {
        public Unavailable(int status) {
            super("notification-service answered " + status);
        }
    }
}
