package io.notify.notification.service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.notification.config.SendConfig;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Which companies users belong to, asked from auth-service with the caller's own token: auth-service
 * answers only for users that caller may see (their own company, a service's scope, or all for an
 * admin), so a user the caller may not address is simply absent.
 */
@ApplicationScoped
public class UserDirectory {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_IDS_PER_CALL = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;
    private final SendConfig config;

    public UserDirectory(ObjectMapper json, SendConfig config) {
        this.json = json;
        this.config = config;
    }

    /** Company per user id, for the ids visible to the token's holder. */
    public Map<String, String> companies(Collection<String> userIds, String bearerToken) {
        Map<String, String> companies = new HashMap<>();
        // auth-service's ids are UUIDs: anything else is no user the caller may address
        var ids = userIds.stream().distinct().filter(UserDirectory::isUuid).toList();
        for (int from = 0; from < ids.size(); from += MAX_IDS_PER_CALL) {
            String query = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_CALL)).stream()
                    .map(id -> "id=" + URLEncoder.encode(id, StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            for (JsonNode user : fetch(query, bearerToken).path("users")) {
                companies.put(user.path("id").asText(), user.path("company").asText());
            }
        }
        return companies;
    }

    private static boolean isUuid(String id) {
        try {
            return java.util.UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private JsonNode fetch(String query, String bearerToken) {
        URI uri = config.directoryUrl().resolve("/api/auth/users?" + query);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearerToken)
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw unavailable("auth-service answered " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw unavailable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    private static HttpProblem unavailable(String why) {
        return HttpProblem.builder().withStatus(Response.Status.SERVICE_UNAVAILABLE)
                .withTitle("Service Unavailable")
                .withDetail("Cannot check the recipients right now (" + why + "); retry with the same idempotency_key")
                .withHeader("Retry-After", 5).build();
    }
}
