package io.notify.notification.identity;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Which companies users belong to, asked from auth-service ({@link DirectoryApi}) with the caller's own credential
 * (its token; for a user a gateway acts for, the gateway's token and {@value ActingFor#HEADER}):
 * auth-service answers only for users that caller may see (their own company, a service's scope, or all for an
 * admin), so a user the caller may not address is simply absent. Blocks: never call it on an event loop.
 */
@ApplicationScoped
public class DirectoryClient {

    private static final int MAX_IDS_PER_CALL = 200;

    private final DirectoryApi api;

    public DirectoryClient(@RestClient DirectoryApi api) {
        this.api = api;
    }

    /** Company per user id, for the ids visible to the token's holder; 503 problem when auth-service cannot answer. */
    public Map<String, String> companies(Collection<String> userIds, Caller.Credential credential) {
        Map<String, String> companies = new HashMap<>();
        // auth-service's ids are UUIDs: anything else is no user the caller may address
        List<String> ids = userIds.stream().distinct().filter(DirectoryClient::isUuid).toList();
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_CALL) {
            DirectoryApi.Users answer = ask(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_CALL)), credential);
            if (answer != null && answer.users() != null) {
                answer.users().forEach(u -> companies.put(u.id(), u.company()));
            }
        }
        return companies;
    }

    /**
     * How many users the token's holder may see in {@code company} (any when null) with {@code role} (any when null);
     * null when auth-service cannot answer now. Never throws; blocks (at most about 1 s).
     */
    public Integer count(String company, String role, Caller.Credential credential) {
        try {
            DirectoryApi.UserCount answer = api.count("Bearer " + credential.bearerToken(), credential.actingFor(), company, role);
            return answer == null ? null : (int) Math.min(Integer.MAX_VALUE, answer.count());
        } catch (RuntimeException e) { // an error answer, not reached, timed out, or the circuit is open
            return null;
        }
    }

    private DirectoryApi.Users ask(List<String> ids, Caller.Credential credential) {
        try {
            return api.users("Bearer " + credential.bearerToken(), credential.actingFor(), ids);
        } catch (WebApplicationException e) {
            throw unavailable("auth-service answered " + e.getResponse().getStatus());
        } catch (RuntimeException e) { // not reached, timed out, or the circuit is open
            throw unavailable(e.toString());
        }
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HttpProblem unavailable(String why) {
        return HttpProblem.builder().withStatus(Response.Status.SERVICE_UNAVAILABLE)
                .withTitle("Service Unavailable")
                .withDetail("Cannot check the recipients right now (" + why + "); retry with the same idempotency_key")
                .withHeader("Retry-After", 5).build();
    }
}
