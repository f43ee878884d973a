package io.notify.notification.identity;

import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * auth-service's user directory ({@code GET /api/auth/users?id=…}), asked with the caller's own token (for a user a
 * gateway acts for: the gateway's, with {@value ActingFor#HEADER}; a null header is not sent). Its URL is
 * {@code quarkus.rest-client.directory.url}, set from {@code notify.send.directory-url} ({@code NOTIFY_AUTH_URL}).
 * A connection that fails is tried again twice (a GET: safe to repeat); each try has 5 s, as the hand-written client
 * had; while most recent calls failed to connect or timed out, calls fail at once for 5 s instead of each waiting.
 * An answer of auth-service (any status) is never retried.
 */
@RegisterRestClient(configKey = "directory")
@Path("/api/auth/users")
public interface DirectoryApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 100, jitter = 50, retryOn = ProcessingException.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            failOn = { ProcessingException.class, TimeoutException.class })
    Users users(@HeaderParam("Authorization") String authorization, @HeaderParam(ActingFor.HEADER) String actingFor,
            @QueryParam("id") List<String> ids);

    /**
     * How many users the caller may see in {@code company} (all companies when absent) with {@code role} (any when
     * absent). Counted for the audience size of a send, which must not wait for it long: one try of at most 1 s.
     */
    @GET
    @Path("/count")
    @Produces(MediaType.APPLICATION_JSON)
    @Timeout(value = 1, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
            failOn = { ProcessingException.class, TimeoutException.class })
    UserCount count(@HeaderParam("Authorization") String authorization, @HeaderParam(ActingFor.HEADER) String actingFor,
            @QueryParam("company") String company, @QueryParam("role") String role);

    @RegisterForReflection
    record UserCount(long count) {
    }

    /** The users of {@code ids} the caller may see; others are absent. */
    @RegisterForReflection
    record Users(List<User> users) {
    }

    @RegisterForReflection
    record User(String id, String company) {
    }
}
