package io.notify.bench.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.bench.BenchStack;
import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.Priority;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * {@code POST /api/notifications} at a fixed rate, open loop, as a producing service sends: the end-to-end runs
 * and the soak.
 */
final class RestSends {

    private static final int REST_CONNECTIONS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchStack stack;
    private final Report report;
    private URI serviceBase;
    private volatile String lastStatuses = "";
    private Vertx restVertx;
    private io.vertx.core.http.HttpClient restClient;
    private io.vertx.core.Context restContext;

    RestSends(BenchStack stack, Report report) {
        this.stack = stack;
        this.report = report;
    }

    /** notification-service, once it runs. */
    void target(URI serviceBase) {
        this.serviceBase = serviceBase;
        // Jackson's first serialization of this shape (its data binding loaded, the record introspected) takes about
        // 1 s on the 2 busy cores here: done now, not on the event loop when the first timed send is due
        notification(Rig.userId(0), 0, "warm-up", 0);
    }

    /**
     * Warms this sender itself (its HTTP client's classes loaded, its send path compiled) with {@code seconds} of
     * sends at {@code rate} to a stand-in server in this JVM that answers 201 at once; answers their p99 (µs). The
     * cold path measures services just started, and this JVM's own first second of sends (an interpreted client
     * issuing them late) would otherwise count as theirs.
     */
    long warmUpClient(String admin, int rate, int seconds) throws Exception {
        restClient();
        io.vertx.core.http.HttpServer standIn = restVertx.createHttpServer()
                .requestHandler(request -> request.body().onComplete(body -> request.response().setStatusCode(201)
                        .putHeader("Content-Type", "application/json").end("{}")))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        URI service = serviceBase;
        try {
            serviceBase = URI.create("http://127.0.0.1:" + standIn.actualPort());
            Histogram answers = new Histogram(LoadGen.MAX_LATENCY_US, 3);
            runRate("client-warm-up", admin, rate, seconds, answers, Rig::userId);
            return answers.getValueAtPercentile(99);
        } finally {
            serviceBase = service;
            standIn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The answers' statuses of the last {@link #runRate} and how many of each. */
    String lastStatuses() {
        return lastStatuses;
    }

    /**
     * Open loop: send i (to user {@code target.apply(i)}) is due at start + i/rate whatever the answers;
     * returns {201s, failures, scheduled}.
     */
    long[] runRate(String group, String admin, int rate, int seconds, Histogram rest,
            java.util.function.IntFunction<String> target) throws Exception {
        int total = rate * seconds;
        long startNanos = System.nanoTime();
        long startUs = LoadGen.nowMicros();
        RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(serviceBase.getPort()).setURI("/api/notifications").setTimeout(30_000)
                .putHeader("Authorization", "Bearer " + admin).putHeader("Content-Type", "application/json");
        Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            pending.add(new CompletableFuture<>());
        }
        // Issued on the client's own event loop, each when it is due: a Netty task scheduled to the nanosecond
        // issues every send due by then and schedules itself for the next. From the orchestrator's thread (parked
        // until each send was due, then handing it to the event loop), every send cost two thread wake-ups, and
        // the client used 0.15 of the two cores at 1,000/s; also, the client's connection pool now and then
        // never answered a request issued from another thread (one in ~100,000).
        io.vertx.core.Context context = restContext();
        io.netty.channel.EventLoop loop = ((io.vertx.core.impl.ContextInternal) context).nettyEventLoop();
        Runnable issue = new Runnable() {
            private int next;

            @Override
            public void run() {
                long now = System.nanoTime();
                while (next < total && startNanos + (long) (next * 1e9 / rate) <= now) {
                    int i = next++;
                    long sentUs = startUs + (long) (i * 1e9 / rate) / 1000;
                    Buffer body = notification(target.apply(i), i, group, sentUs);
                    CompletableFuture<Void> done = pending.get(i);
                    restClient().request(post)
                            .compose(request -> request.send(body))
                            .compose(response -> response.body().map(b -> response.statusCode()))
                            .onComplete(result -> {
                                int status = result.succeeded() ? result.result() : -1;
                                statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                                synchronized (rest) {
                                    rest.recordValue(Math.max(0, Math.min(LoadGen.MAX_LATENCY_US, LoadGen.nowMicros() - sentUs)));
                                }
                                done.complete(null);
                            });
                }
                if (next < total) {
                    loop.schedule(() -> context.runOnContext(v -> run()),
                            startNanos + (long) (next * 1e9 / rate) - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
            }
        };
        context.runOnContext(v -> issue.run());
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // counted, not thrown: a soak minute with unanswered sends is a finding, and the run goes on
            long unanswered = pending.stream().filter(f -> !f.isDone()).count();
            statuses.computeIfAbsent(0, k -> new AtomicLong()).addAndGet(unanswered);
            report.line(String.format(Locale.ROOT, "%s: %d sends unanswered 120 s after the last was due (status 0 below)",
                    group, unanswered));
            stack.threadDump(stack.service(), group + "-unanswered");
        }
        long created = statuses.getOrDefault(201, new AtomicLong()).get();
        lastStatuses = statuses.toString();
        return new long[] { created, total - created, total };
    }

    /**
     * The body of send {@code i} to {@code user}: the Java SDK's {@link Notification}, serialized by its own Jackson
     * annotations (the wire names and the lower-case priority), so the bench sends what the SDK sends. The SDK's
     * {@code NotifyClient} itself is not used here: it blocks a thread per send on the JDK client, and this sender must
     * issue each send on its event loop when it is due (see {@link #runRate}); no idempotency key, as before (the
     * SDK's client would add one, and the store's key lookup with it).
     */
    private static Buffer notification(String user, int i, String group, long sentUs) {
        Notification notification = Notification.to(Audience.user(user)).title("e2e " + i).message("bench")
                .type("info").priority(Priority.NORMAL).data("bench", group).data("sent_us", sentUs).build();
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(notification));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The REST client's event loop, where every send is issued. */
    private synchronized io.vertx.core.Context restContext() {
        restClient();
        if (restContext == null) {
            restContext = restVertx.getOrCreateContext();
        }
        return restContext;
    }

    /**
     * The producer side of the REST sends: Vert.x with a pool of kept-alive connections, as a service
     * calling notification-service would use (the JDK client opened new connections under load and
     * cost more CPU than the service it measured, on the same two cores).
     */
    private synchronized io.vertx.core.http.HttpClient restClient() {
        if (restClient == null) {
            // epoll, as the load generators: NIO costs more CPU per request, on the cores the measured services use
            restVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setPreferNativeTransport(true));
            restClient = restVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(REST_CONNECTIONS));
        }
        return restClient;
    }

    synchronized void close() {
        if (restVertx != null) {
            restVertx.close();
        }
    }
}
