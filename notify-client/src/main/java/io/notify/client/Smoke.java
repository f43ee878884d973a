package io.notify.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The post-deploy check: through the one origin, a user logs in, opens a socket, sends a notification to themself,
 * receives it on the socket and marks it read there. Each step is printed with its time; the first failure ends the
 * run with exit code 1 and says what failed.
 */
public final class Smoke {

    static final String USAGE = "usage: smoke --url <base URL, e.g. https://notify.example.com> --username <user> "
            + "[--password <password>] [--timeout-seconds 15]\n"
            + "  (or NOTIFY_SMOKE_URL, NOTIFY_SMOKE_USERNAME, NOTIFY_SMOKE_PASSWORD in the environment)";

    private final URI base;
    private final String username;
    private final String password;
    private final Duration timeout;
    private final PrintStream out;

    private Smoke(URI base, String username, String password, Duration timeout, PrintStream out) {
        this.base = base;
        this.username = username;
        this.password = password;
        this.timeout = timeout;
        this.out = out;
    }

    /** Runs the smoke check for {@code args} (after the {@code smoke} word); answers the exit code. */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--url", env.get("NOTIFY_SMOKE_URL"));
        options.put("--username", env.get("NOTIFY_SMOKE_USERNAME"));
        options.put("--password", env.get("NOTIFY_SMOKE_PASSWORD"));
        options.put("--timeout-seconds", "15");
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!options.containsKey(name) || i + 1 == args.size()) {
                err.println("smoke: unknown or incomplete option " + name + "\n" + USAGE);
                return 2;
            }
            options.put(name, args.get(++i));
        }
        if (options.containsValue(null)) {
            err.println("smoke: --url, --username and --password are required\n" + USAGE);
            return 2;
        }
        URI base;
        Duration timeout;
        try {
            base = URI.create(options.get("--url"));
            timeout = Duration.ofSeconds(Long.parseLong(options.get("--timeout-seconds")));
            if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
                throw new IllegalArgumentException("--url must be an http or https URL");
            }
        } catch (IllegalArgumentException e) {
            err.println("smoke: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        return new Smoke(base, options.get("--username"), options.get("--password"), timeout, out).run(err);
    }

    private int run(PrintStream err) {
        long started = System.nanoTime();
        String step = "login";
        WebSocket socket = null;
        try {
            TokenSource login = TokenSource.login(base, username, password);
            timed(step, login::token);
            NotifyClient client = NotifyClient.builder(base).tokenSource(login).maxAttempts(3)
                    .requestTimeout(timeout).build();

            step = "who am I";
            String userId = timed(step, () -> client.get("/api/auth/me").path("id").asText());

            step = "open socket";
            Frames frames = new Frames();
            socket = timed(step, () -> open(login.token(), frames));

            step = "send";
            String title = "Smoke test " + UUID.randomUUID();
            SentNotification sent = timed(step, () -> client.send(Notification.to(Audience.user(userId)).title(title)
                    .message("notify-client smoke check: safe to ignore").type("smoke_test").build()));
            String id = sent.id().toString();

            step = "receive on socket";
            WebSocket open = socket;
            timed(step, () -> {
                frames.await(f -> "notification".equals(f.path("type").asText())
                        && id.equals(f.path("payload").path("id").asText()), "the notification " + id);
                open.sendText("{\"type\":\"ack\",\"ids\":[\"" + id + "\"]}", true).join();
                return null;
            });

            step = "mark read";
            timed(step, () -> {
                open.sendText("{\"type\":\"mark_read\",\"ref\":\"smoke-read\",\"notification_id\":\"" + id + "\"}", true)
                        .join();
                JsonNode reply = frames.await(f -> "smoke-read".equals(f.path("ref").asText()), "the reply to mark_read");
                if (!"notification_read".equals(reply.path("type").asText())) {
                    throw new IllegalStateException("mark_read answered " + reply);
                }
                return null;
            });
            out.printf("smoke passed in %d ms%n", ms(started));
            return 0;
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            err.printf("FAIL %s: %s%n", step, describe(cause));
            return 1;
        } finally {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T timed(String name, Step<T> step) {
        long started = System.nanoTime();
        T result;
        try {
            result = step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(describe(e), e);
        }
        out.printf("ok   %-18s %6d ms%n", name, ms(started));
        return result;
    }

    private WebSocket open(String token, Frames frames) throws InterruptedException, TimeoutException {
        URI ws = URI.create(FetchedToken.resolve(base, "/api/ws").toString().replaceFirst("^http", "ws"));
        WebSocket socket;
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                    .header("Authorization", "Bearer " + token).buildAsync(ws, frames)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new IllegalStateException(ws + " refused the upgrade with HTTP " + refused.getResponse().statusCode());
            }
            throw new IllegalStateException("could not open " + ws + ": " + describe(e.getCause()), e.getCause());
        }
        // a pong means the gateway has routed the socket: from now on it gets what is sent to this user
        socket.sendText("{\"type\":\"ping\",\"ref\":\"smoke-ping\"}", true).join();
        frames.await(f -> "pong".equals(f.path("type").asText()) && "smoke-ping".equals(f.path("ref").asText()), "pong");
        return socket;
    }

    private static String describe(Throwable e) {
        if (e instanceof NotifyException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static long ms(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** The socket's text frames as JSON, in order; a close ends the wait at once. */
    private final class Frames implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile String closed;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(Json.MAPPER.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    closed = "the gateway sent a frame that is not JSON: " + partial;
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = "the socket was closed: " + statusCode + " " + reason;
            received.add(Json.MAPPER.nullNode());
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = "the socket failed: " + describe(error);
            received.add(Json.MAPPER.nullNode());
        }

        JsonNode await(Predicate<JsonNode> match, String what) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonNode frame = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (closed != null) {
                    throw new IllegalStateException(closed + " (waiting for " + what + ")");
                }
                if (frame == null) {
                    throw new TimeoutException("no " + what + " within " + timeout.toSeconds() + " s");
                }
                if (match.test(frame)) {
                    return frame;
                }
            }
        }
    }
}
