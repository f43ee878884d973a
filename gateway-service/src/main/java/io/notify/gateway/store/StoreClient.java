package io.notify.gateway.store;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.notify.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * notification-service as the socket's user: every call carries that user's own token, so the
 * store authorizes a socket action exactly as it would the same REST call from the browser.
 */
@ApplicationScoped
public class StoreClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The store's answer: status and JSON body (NullNode when empty). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;
    private final GatewayConfig config;

    public StoreClient(ObjectMapper json, GatewayConfig config) {
        this.json = json;
        this.config = config;
    }

    /** The user's preferences: {@code {"types": {"info": false, ...}}}. */
    public CompletionStage<JsonNode> preferences(String bearerToken) {
        return call("GET", "/api/notifications/preferences", null, bearerToken).thenApply(answer -> {
            if (!answer.ok()) {
                throw new IllegalStateException("notification-service answered " + answer.status());
            }
            return answer.body();
        });
    }

    /** {@code pathAndQuery} is built by the caller from validated, encoded parts only. */
    public CompletionStage<Answer> call(String method, String pathAndQuery, JsonNode body, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.storeUrl().resolve(pathAndQuery)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearerToken).header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), parse(response.body())));
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            return NullNode.getInstance();
        }
    }
}
