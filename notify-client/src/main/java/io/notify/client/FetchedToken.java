package io.notify.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A token fetched from auth-service and kept until shortly before it expires (a quarter of its lifetime, at most a
 * minute, early), or until a call is refused with it. A failed fetch throws the typed problem: a wrong secret or
 * password {@link AuthenticationException} (not retried), no answer {@link NotifyConnectionException}.
 */
abstract class FetchedToken implements TokenSource {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI uri;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    FetchedToken(HttpClient http, URI uri, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.uri = uri;
        this.clock = clock;
    }

    /** The token request (its body and headers); answered {@code {access_token, expires_in, ...}}. */
    abstract HttpRequest.Builder request(HttpRequest.Builder request);

    @Override
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    @Override
    public synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private void fetch() {
        Instant asked = clock.instant();
        HttpResponse<String> response;
        try {
            response = http.send(request(HttpRequest.newBuilder(uri).timeout(TIMEOUT)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NotifyConnectionException("could not reach " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifyConnectionException("interrupted while asking " + uri + " for a token", e);
        }
        if (response.statusCode() != 200) {
            throw Problems.of(response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        try {
            JsonNode answer = Json.MAPPER.readTree(response.body());
            String fetched = answer.path("access_token").asText(null);
            if (fetched == null) {
                throw new NotifyException(200, null, null, "no access_token in the answer of " + uri, null, Map.of());
            }
            long lifetime = answer.path("expires_in").asLong(300);
            token = fetched;
            renewAt = asked.plusSeconds(lifetime - Math.min(60, lifetime / 4));
        } catch (JsonProcessingException e) {
            throw new NotifyException(200, null, null, "the answer of " + uri + " is not JSON", null, Map.of());
        }
    }

    static String form(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return form.toString();
    }

    static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    /** {@code POST /api/auth/token} with HTTP Basic client credentials. */
    static final class ClientCredentials extends FetchedToken {
        private final String basic;

        ClientCredentials(HttpClient http, URI base, String clientId, String clientSecret) {
            this(http, base, clientId, clientSecret, Clock.systemUTC());
        }

        ClientCredentials(HttpClient http, URI base, String clientId, String clientSecret, Clock clock) {
            super(http, resolve(base, "/api/auth/token"), clock);
            basic = "Basic " + Base64.getEncoder().encodeToString((Objects.requireNonNull(clientId, "clientId") + ":"
                    + Objects.requireNonNull(clientSecret, "clientSecret")).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        HttpRequest.Builder request(HttpRequest.Builder request) {
            return request.header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "client_credentials"))));
        }
    }

    /** {@code POST /api/auth/login} with a username and password. */
    static final class Login extends FetchedToken {
        private final String body;

        Login(HttpClient http, URI base, String username, String password) {
            super(http, resolve(base, "/api/auth/login"), Clock.systemUTC());
            try {
                body = Json.MAPPER.writeValueAsString(Map.of("username", Objects.requireNonNull(username, "username"),
                        "password", Objects.requireNonNull(password, "password")));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        HttpRequest.Builder request(HttpRequest.Builder request) {
            return request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }
    }
}
