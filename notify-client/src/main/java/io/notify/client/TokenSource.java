package io.notify.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/** Where {@link NotifyClient} gets the bearer token of each call. Implementations are thread-safe. */
public interface TokenSource {

    /** A token valid now (fetched or renewed as needed). */
    String token();

    /** The service refused {@code token} with 401: the next {@link #token()} must not answer it again. */
    default void invalidate(String token) {
    }

    /** A token you obtained yourself (it is never renewed). */
    static TokenSource fixed(String token) {
        Objects.requireNonNull(token, "token");
        return () -> token;
    }

    /**
     * A service account's token from auth-service ({@code POST /api/auth/token}, {@code client_credentials}),
     * fetched on first use and again shortly before it expires or when a call is refused with 401.
     */
    static TokenSource clientCredentials(URI baseUri, String clientId, String clientSecret) {
        return new FetchedToken.ClientCredentials(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .build(), baseUri, clientId, clientSecret);
    }

    /** A user's token ({@code POST /api/auth/login}), fetched again the same way. */
    static TokenSource login(URI baseUri, String username, String password) {
        return new FetchedToken.Login(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                baseUri, username, password);
    }
}
