package io.notify.gateway.client;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * notification-service's topic subscriptions as the socket's user ({@code subscribe_topic} and {@code unsubscribe_topic}
 * frames): the caller's own subscription, acting for them with the gateway's token, as {@link NotificationStoreClient}
 * does for the inbox.
 */
@RegisterRestClient(configKey = "notification-service")
@OidcClientFilter
@Path("/api/topics")
@Produces(MediaType.APPLICATION_JSON)
public interface TopicsClient {

    @PUT
    @Path("/{key}/subscription")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> subscribe(@HeaderParam(NotificationStoreClient.ACTING_FOR) String actingFor, @PathParam("key") String key);

    @DELETE
    @Path("/{key}/subscription")
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, delay = 5, delayUnit = ChronoUnit.SECONDS)
    CompletionStage<Response> unsubscribe(@HeaderParam(NotificationStoreClient.ACTING_FOR) String actingFor, @PathParam("key") String key);
}
