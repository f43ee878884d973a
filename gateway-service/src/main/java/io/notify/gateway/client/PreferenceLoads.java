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

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * notification-service as the gateway itself, not as a socket's user: the muted types (quiet hours, topics) of the users whose sockets
 * opened here ({@code POST /api/notifications/preferences/muted}), up to 100 users per request. The gateway verified
 * each user's token when their socket opened; it asks with its own token, from auth-service's client
 * {@code notify-gateway} (client credentials, {@code quarkus.oidc-client.*}: acquired on first use, asked again before
 * it expires), so a connect storm costs the store one token verification per batch rather than per user.
 *
 * <p>{@code routing.MutedTypes} paces the loads, at most two at a time, so a reconnect storm takes two connections of
 * the pool it shares with {@link NotificationStoreClient}. A busy or unreachable store (or auth-service) is asked again
 * twice, after about 1 s and then 3 s; then MutedTypes tries again later.
 */
@RegisterRestClient(configKey = "notification-service")
@OidcClientFilter
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
public interface PreferenceLoads {

    /** The muted types of each user, in the order of the ids. */
    @POST
    @Path("/preferences/muted")
    @Consumes(MediaType.APPLICATION_JSON)
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 1000, jitter = 500)
    @ExponentialBackoff(factor = 3)
    @CircuitBreaker(requestVolumeThreshold = 40, failureRatio = 0.75, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<MutedTypesAnswer> mutedTypes(MutedTypesRequest users);

    /** User ids, 1 to 100. */
    @RegisterForReflection
    record MutedTypesRequest(@JsonProperty("user_ids") List<String> userIds) {
    }

    /** One result per user id, in order. */
    @RegisterForReflection
    record MutedTypesAnswer(List<MutedTypesResult> results) {
    }

    /** A user, the types they switched off, their quiet hours and the topics they subscribe to (absent: none). */
    @RegisterForReflection
    record MutedTypesResult(@JsonProperty("user_id") String userId, List<String> muted,
            @JsonProperty("quiet_hours") JsonNode quietHours, List<TopicSubscription> topics) {

        public MutedTypesResult(String userId, List<String> muted) {
            this(userId, muted, null, null);
        }
    }

    /** A topic of a company the user subscribes to, and the seq of their subscription (they get what is sent after it). */
    @RegisterForReflection
    record TopicSubscription(String topic, String company, @JsonProperty("since_seq") long sinceSeq) {
    }

    /** Any answer but 2xx fails the load (the default mapper is off for this client's config key). */
    @ClientExceptionMapper
    static RuntimeException toException(Response response, Method method) {
        return new IllegalStateException("notification-service answered " + response.getStatus());
    }
}
