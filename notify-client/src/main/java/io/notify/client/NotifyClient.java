package io.notify.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends notifications over REST ({@code POST /api/notifications}) with a bearer token from a {@link TokenSource},
 * usually a service account's client credentials. Thread-safe; make one per application.
 *
 * <p>
 * A send is retried, with the same idempotency key (the notification's own, else one made for that send), when no
 * answer came, on 5xx, and on 429 when its {@code Retry-After} is at most {@code maxRetryAfter}: at most
 * {@code maxAttempts} attempts, waiting {@code Retry-After} or an exponential backoff with jitter between them. A 401
 * renews the token once and tries again. Whatever still fails is thrown as a {@link NotifyException} subclass.
 *
 * <pre>{@code
 * NotifyClient notify = NotifyClient.builder(URI.create("https://notify.example.com"))
 *         .clientCredentials("billing-service", System.getenv("NOTIFY_CLIENT_SECRET")).build();
 * SentNotification sent = notify.send(Notification.to(Audience.user(userId))
 *         .title("Invoice approved").message("INV-1001 was approved").type("approval").build());
 * }</pre>
 */
public final class NotifyClient {

    /** Waits between attempts; tests record the waits instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final URI baseUri;
    private final HttpClient http;
    private final TokenSource tokens;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Duration requestTimeout;
    private final Sleeper sleeper;

    private NotifyClient(Builder b) {
        baseUri = b.baseUri;
        http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        tokens = Objects.requireNonNull(b.tokens, "a token source: clientCredentials(...) or tokenSource(...)");
        maxAttempts = b.maxAttempts;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        maxRetryAfter = b.maxRetryAfter;
        requestTimeout = b.requestTimeout;
        sleeper = b.sleeper;
    }

    /** {@code baseUri}: the one origin (e.g. {@code https://notify.example.com}) that routes {@code /api/...}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /**
     * Sends {@code notification}; answers the stored notification ({@link SentNotification#created()} false when its
     * idempotency key had been used already), or with {@code send_at} the scheduled send
     * ({@link SentNotification#scheduled()}).
     *
     * @throws ValidationException 400, with the violations
     * @throws ForbiddenException the caller may not address this audience
     * @throws QuotaExceededException a send quota is used up for longer than {@code maxRetryAfter}, or still after the
     *         last attempt
     * @throws AuthenticationException the credentials were refused
     * @throws NotifyException any other refusal, or ({@link NotifyConnectionException}) no answer on any attempt
     */
    public SentNotification send(Notification notification) {
        Notification keyed = Objects.requireNonNull(notification, "notification").withIdempotencyKeyIfAbsent();
        byte[] body = json(keyed);
        HttpResponse<String> response = call("POST", "/api/notifications", body);
        return response.statusCode() == 202 ? notification(response, false).with(false, true)
                : notification(response, response.statusCode() == 201);
    }

    /**
     * The newest notification with this {@code external_id} (your own id, given with
     * {@link Notification.Builder#externalId}) that the caller sent or that is in the caller's inbox
     * ({@code GET /api/notifications/external/{externalId}}); {@code created} is false. Empty when there is none
     * the caller may see.
     *
     * @throws NotifyException as {@link #send}, except that 404 is the empty answer
     */
    public Optional<SentNotification> findByExternalId(String externalId) {
        String path = "/api/notifications/external/" + segment(Objects.requireNonNull(externalId, "externalId"));
        HttpResponse<String> response;
        try {
            response = call("GET", path, null);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(notification(response, false));
    }

    /**
     * Subscribes a user of the caller's company to one of its topics ({@code PUT /api/topics/{topic}/subscribers/{userId}},
     * a service account of the company or an admin): from now on notifications sent to
     * {@link Audience#topic(String, String)} reach them. Doing it again changes nothing (and is retried as a send is).
     *
     * @throws NotFoundException the user is not one of the company's
     * @throws NotifyException as {@link #send}
     */
    public void subscribe(String topic, String userId) {
        call("PUT", subscriberPath(topic, userId), null);
    }

    /**
     * Ends a user's subscription to a topic of the caller's company ({@code DELETE /api/topics/{topic}/subscribers/{userId}});
     * none to end is no error.
     *
     * @throws NotifyException as {@link #subscribe}
     */
    public void unsubscribe(String topic, String userId) {
        call("DELETE", subscriberPath(topic, userId), null);
    }

    private static String subscriberPath(String topic, String userId) {
        return "/api/topics/" + segment(Objects.requireNonNull(topic, "topic")) + "/subscribers/"
                + segment(Objects.requireNonNull(userId, "userId"));
    }

    /** {@code value} as one URL path segment. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SentNotification notification(HttpResponse<String> response, boolean created) {
        try {
            return Json.MAPPER.readValue(response.body(), SentNotification.class).withCreated(created);
        } catch (JsonProcessingException e) {
            throw new NotifyException(response.statusCode(), null, null, "unreadable answer: " + e.getOriginalMessage(),
                    null, java.util.Map.of());
        }
    }

    /** GETs {@code path} (e.g. {@code /api/auth/me}) with the same token and retries; answers the JSON. */
    JsonNode get(String path) {
        try {
            return Json.MAPPER.readTree(call("GET", path, null).body());
        } catch (JsonProcessingException e) {
            throw new NotifyException(200, null, null, "unreadable answer of " + path, null, java.util.Map.of());
        }
    }

    /** Calls {@code path} with {@code method} (and a JSON {@code body}, or none) until a 2xx answer, an answer not worth retrying, or the last attempt. */
    private HttpResponse<String> call(String method, String path, byte[] body) {
        URI uri = FetchedToken.resolve(baseUri, path);
        boolean renewed = false;
        for (int attempt = 1; ; attempt++) {
            NotifyException failure;
            Duration wait = null;
            String token = null;
            try {
                token = tokens.token();
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                        .header("Authorization", "Bearer " + token).header("Accept", "application/json");
                request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                        : request.header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                failure = Problems.of(status, response.body(), retryAfter);
                wait = Problems.retryAfter(retryAfter, java.time.Instant.now());
            } catch (NotifyException e) { // from the token source
                failure = e;
            } catch (IOException e) {
                failure = new NotifyConnectionException("no answer from " + uri + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifyConnectionException("interrupted while calling " + uri, e);
            }
            if (failure.status() == 401 && token != null && !renewed) {
                tokens.invalidate(token); // expired or revoked under us: one more try with a fresh token, at once
                renewed = true;
                attempt--;
                continue;
            }
            if (!retriable(failure) || attempt >= maxAttempts) {
                throw failure;
            }
            if (wait == null) {
                wait = backoff(attempt);
            } else if (wait.compareTo(maxRetryAfter) > 0) {
                throw failure; // e.g. a quota window that ends later than the caller wants to block
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    private static boolean retriable(NotifyException e) {
        return e.status() == 0 || e.status() == 429 || e.status() >= 500;
    }

    /** Exponential from {@code initialBackoff}, at most {@code maxBackoff}, each a random 50-100% of that. */
    private Duration backoff(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    static byte[] json(Notification notification) {
        try {
            return Json.MAPPER.writeValueAsBytes(notification);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("data is not serializable as JSON", e);
        }
    }

    /** Configures a {@link NotifyClient}. */
    public static final class Builder {
        private final URI baseUri;
        private HttpClient http;
        private TokenSource tokens;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        }

        /** A service account's {@code client_id} and secret (auth-service {@code POST /api/auth/token}). */
        public Builder clientCredentials(String clientId, String clientSecret) {
            this.tokens = new FetchedToken.ClientCredentials(httpClient(), baseUri, clientId, clientSecret);
            return this;
        }

        public Builder tokenSource(TokenSource tokens) {
            this.tokens = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /** The HTTP client (proxy, TLS, executor); set it before {@link #clientCredentials}. */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** Attempts per send, the first included (default 5; 1 = no retry). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The backoff before the second attempt (default 200 ms), doubling up to {@code max} (default 10 s). */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff: 0 < initial <= max");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** The longest {@code Retry-After} the client waits out by itself (default 60 s); a longer one is thrown. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /** How long one attempt may take (default 10 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        private HttpClient httpClient() {
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            }
            return http;
        }

        public NotifyClient build() {
            return new NotifyClient(this);
        }
    }
}
