package io.notify.bench.footprint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.notify.infra.test.TestTokens;

/**
 * The "simple authenticated request" of one service, timed on the client: what one request is, exactly, is
 * {@link #describe()}. The floor server gets the same request from the same client.
 */
abstract class Probe {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    protected final HttpClient http;
    protected String token;

    private Probe(HttpClient http) {
        this.http = http;
    }

    /** The probe of {@code service}; {@code onFloor}: the same request to the floor server (no login there). */
    static Probe of(Service service, HttpClient http, boolean onFloor) {
        return switch (service) {
            case AUTH -> new Get(http, "/api/auth/me", !onFloor);
            case NOTIFICATION -> get(http, "/api/notifications/unread-count");
            case GATEWAY -> new Socket(http);
        };
    }

    /** {@code GET path} with a TestTokens token. */
    static Probe get(HttpClient http, String path) {
        return new Get(http, path, false);
    }

    /** One line: what one request is. */
    abstract String describe();

    /**
     * Gets the token the requests carry, right after the process is ready and before the first measured
     * request: auth-service's own login (user1), else a token signed like the other benches' (TestTokens, whose
     * JWKS file the services verify against). Returns the login's time in nanoseconds, or -1 without a login.
     */
    long prepare(URI base) throws IOException, InterruptedException {
        token = TestTokens.token(UUID.nameUUIDFromBytes("footprint-bench".getBytes()).toString(), "footprint-bench",
                "company_a", Set.of("user"));
        return -1;
    }

    /** One request; its client-side time in nanoseconds. Fails unless the answer is the expected one. */
    abstract long once(URI base) throws Exception;

    /** {@code GET path} with the bearer token on the client's kept-alive HTTP/1.1 connection; 200 expected. */
    private static final class Get extends Probe {
        private final String path;
        private final boolean login;

        Get(HttpClient http, String path, boolean login) {
            super(http);
            this.path = path;
            this.login = login;
        }

        @Override
        String describe() {
            return "GET " + path + " with `Authorization: Bearer <token>` (token from "
                    + (path.startsWith("/api/auth") ? "the service's own POST /api/auth/login as user1"
                            : "TestTokens, verified against its JWKS file")
                    + "), on one kept-alive HTTP/1.1 connection (java.net.http), answer 200 read to the end";
        }

        @Override
        long prepare(URI base) throws IOException, InterruptedException {
            if (!login) {
                return super.prepare(base);
            }
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/auth/login"))
                    .timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"user1\",\"password\":\"wkwkwk\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            Matcher m = ACCESS_TOKEN.matcher(answer.body());
            if (answer.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("login as user1 answered " + answer.statusCode() + ": " + answer.body());
            }
            token = m.group(1);
            return nanos;
        }

        @Override
        long once(URI base) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token).build();
            long start = System.nanoTime();
            HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - start;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + answer.statusCode() + ": "
                        + new String(answer.body()));
            }
            return nanos;
        }
    }

    /**
     * A whole authenticated WebSocket session: open {@code /api/ws} (a new TCP connection and the HTTP upgrade
     * with the token), send {@code {"type":"ping","ref":"1"}}, receive the {@code pong} with that ref, send a
     * close frame (1000) and receive the server's.
     */
    private static final class Socket extends Probe {

        Socket(HttpClient http) {
            super(http);
        }

        @Override
        String describe() {
            return "one WebSocket session on /api/ws (java.net.http): TCP connect and HTTP upgrade with "
                    + "`Authorization: Bearer <token>` (TestTokens), send {\"type\":\"ping\",\"ref\":\"1\"}, receive the pong "
                    + "with ref \"1\", send close 1000 and receive the server's close frame";
        }

        @Override
        long once(URI base) throws Exception {
            URI uri = URI.create("ws://" + base.getAuthority() + "/api/ws");
            Frames frames = new Frames();
            long start = System.nanoTime();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token).buildAsync(uri, frames)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            socket.sendText("{\"type\":\"ping\",\"ref\":\"1\"}", true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String pong = frames.pong.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int code = frames.closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long nanos = System.nanoTime() - start;
            if (!pong.replace(" ", "").contains("\"ref\":\"1\"") || code != WebSocket.NORMAL_CLOSURE) {
                throw new IllegalStateException("WebSocket session: pong " + pong + ", close code " + code);
            }
            return nanos;
        }

        /** Completes {@code pong} with the first pong frame and {@code closed} with the server's close code. */
        private static final class Frames implements WebSocket.Listener {
            final CompletableFuture<String> pong = new CompletableFuture<>();
            final CompletableFuture<Integer> closed = new CompletableFuture<>();
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    if (frame.replace(" ", "").contains("\"type\":\"pong\"")) {
                        pong.complete(frame);
                    }
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                closed.complete(statusCode);
                pong.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                pong.completeExceptionally(error);
                closed.completeExceptionally(error);
            }
        }
    }
}
