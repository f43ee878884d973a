package io.notify.gateway.store;

import java.net.URI;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.notify.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * notification-service as the socket's user: every call carries that user's own token, so the
 * store authorizes a socket action exactly as it would the same REST call from the browser.
 *
 * <p>Vert.x's client on the gateway's own event loops, with a bounded pool of HTTP/1.1 keep-alive
 * connections: a burst of socket opens (each loads its user's preferences) queues for a connection
 * instead of opening one per call. The JDK client did that, and kept every one (h2c-upgraded, with
 * 16 KB of buffers and its first request's token) idle for 20 minutes: 905 connections and 16 MB
 * after 5,000 sockets opened, each also taking a file descriptor from the sockets' budget.
 */
@ApplicationScoped
public class StoreClient {

    private static final long TIMEOUT_MS = 10_000;
    /** Connections to the store per gateway: enough for thousands of calls per second of a few ms each. */
    static final int CONNECTIONS = 32;

    /** The store's answer: status and JSON body (NullNode when empty). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI storeUrl;

    @Inject
    public StoreClient(Vertx vertx, ObjectMapper json, GatewayConfig config) {
        this(vertx, json, config.storeUrl(), CONNECTIONS);
    }

    StoreClient(Vertx vertx, ObjectMapper json, URI storeUrl, int connections) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) TIMEOUT_MS),
                new PoolOptions().setHttp1MaxSize(connections));
        this.json = json;
        this.storeUrl = storeUrl;
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
        // the connect timeout includes the wait for a pooled connection
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.valueOf(method))
                .setAbsoluteURI(storeUrl.resolve(pathAndQuery).toString())
                .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS)
                .putHeader("Authorization", "Bearer " + bearerToken).putHeader("Accept", "application/json");
        if (body != null) {
            request.putHeader("Content-Type", "application/json");
        }
        return http.request(request)
                .compose(r -> body == null ? r.send() : r.send(Buffer.buffer(body.toString())))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), parse(bytes.getBytes()))))
                .toCompletionStage();
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
