package io.notify.gateway.store;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * notification-service as the socket's user: every call carries that user's own token, so the
 * store authorizes it exactly as it would a REST call from the browser.
 */
@ApplicationScoped
public class StoreClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;
    private final GatewayConfig config;

    public StoreClient(ObjectMapper json, GatewayConfig config) {
        this.json = json;
        this.config = config;
    }

    /** The user's preferences: {@code {"types": {"info": false, ...}}}. */
    public CompletionStage<JsonNode> preferences(String bearerToken) {
        return get("/api/notifications/preferences", bearerToken);
    }

    private CompletionStage<JsonNode> get(String path, String bearerToken) {
        HttpRequest request = HttpRequest.newBuilder(config.storeUrl().resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearerToken).header("Accept", "application/json")
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("notification-service answered " + response.statusCode() + " to " + path);
            }
            try {
                return json.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Unreadable answer to " + path, e);
            }
        });
    }
}
