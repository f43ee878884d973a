package io.notify.bench.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A load-generator process: holds WebSocket clients (one Vert.x client per loopback source address,
 * so that one destination port can take more sockets than the ephemeral-port range) and records, per
 * benchmark group, how many tagged frames arrived, when the last one arrived and the latency of
 * each (receive wall clock minus {@code data.sent_us} in the frame, both in microseconds since the
 * epoch: the processes of one host share that clock). The orchestrator drives it over a small HTTP
 * control server on 127.0.0.1 whose port is printed as {@value #READY} line.
 *
 * <p>Arguments: {@code <tokens file> <first source address, e.g. 127.0.0.2> <number of source addresses> [acks]}.
 * With {@code acks} each socket acknowledges every {@code notification} frame as the TypeScript client does: the
 * ids of the frames that arrive together (one read of the socket) in one {@code ack} frame, at most
 * {@value #MAX_ACK_IDS} ids per frame, and at most one ack frame per {@value #MIN_ACK_INTERVAL_MS} ms per socket
 * (ids arriving sooner wait for the next one).
 */
public final class LoadGen {

    static final String READY = "LOADGEN READY ";
    static final long MAX_LATENCY_US = 120_000_000L;
    /** Suffix of the group that times an e2e group's frames from their {@code created_at} instead. */
    static final String STORED = "-stored";
    static final int MAX_ACK_IDS = 100;
    /**
     * Least time between two ack frames of one socket: a socket getting more than ~20 notifications a second in
     * separate reads would otherwise go over the gateway's inbound rate (20 frames/s) with its acks alone.
     */
    static final long MIN_ACK_INTERVAL_MS = 100;

    /** Frames of one benchmark group (one fan-out, the e2e run, ...). */
    /** What a group of which no frame arrived here reports (never recorded into). */
    private static final Group NO_FRAMES = new Group();

    static final class Group {
        long count;
        long lastUs;
        final Histogram latency = new Histogram(MAX_LATENCY_US, 3);
        /** Per second of sending (epoch second of sent_us): {frames, largest latency in µs}. */
        final Map<Long, long[]> bySecond = new TreeMap<>();

        synchronized void record(long nowUs, long sentUs) {
            count++;
            lastUs = Math.max(lastUs, nowUs);
            long us = Math.max(0, Math.min(MAX_LATENCY_US, nowUs - sentUs));
            latency.recordValue(us);
            long[] second = bySecond.computeIfAbsent(sentUs / 1_000_000, k -> new long[2]);
            second[0]++;
            second[1] = Math.max(second[1], us);
        }

        /** "second frames max_us" lines, in order of the second. */
        synchronized String seconds() {
            StringBuilder out = new StringBuilder();
            bySecond.forEach((second, v) -> out.append(second).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
            return out.toString();
        }

        synchronized String encode(boolean withHistogram) {
            if (!withHistogram) {
                return count + " " + lastUs;
            }
            ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
            int n = latency.encodeIntoCompressedByteBuffer(buffer);
            return count + " " + lastUs + " " + Base64.getEncoder().encodeToString(
                    java.util.Arrays.copyOf(buffer.array(), n));
        }
    }

    /** A load generator's event loops: the threads that read its sockets. */
    static final int EVENT_LOOPS = 2;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(2)
            .setPreferNativeTransport(true));
    private final List<String> tokens;
    private final List<WebSocketClient> clients = new ArrayList<>();
    private final Map<Integer, List<WebSocket>> byPort = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final Map<Integer, AtomicInteger> openByPort = new ConcurrentHashMap<>();
    private final AtomicLong otherFrames = new AtomicLong();
    private final AtomicLong nextClient = new AtomicLong();
    private volatile String lastFailure = "";
    /** Whether sockets acknowledge notification frames; switched at run time by {@code /acks?on=}. */
    private volatile boolean acks;
    /** How long a socket holds an id before acknowledging it, at least ({@code /acks?delay=}, ms; 0: right away). */
    private volatile long ackDelayMs;
    private final AtomicLong ackFrames = new AtomicLong();
    private final AtomicLong ackIds = new AtomicLong();
    /** Frames whose seq was not above the last one the same socket got: sent twice (or out of order). */
    private final AtomicLong duplicateFrames = new AtomicLong();
    /** The first few of them: {@code seq<=last:id}, to tell a frame sent twice from one out of order. */
    private final List<String> duplicateExamples = java.util.Collections.synchronizedList(new ArrayList<>());

    private LoadGen(List<String> tokens, String firstAddress, int addresses, boolean acks) {
        this.tokens = tokens;
        this.acks = acks;
        String[] octets = firstAddress.split("\\.");
        int last = Integer.parseInt(octets[3]);
        for (int i = 0; i < addresses; i++) {
            String address = octets[0] + "." + octets[1] + "." + octets[2] + "." + (last + i);
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(address)
                    .setMaxConnections(1_000_000).setConnectTimeout(60_000).setIdleTimeout(0)
                    .setMaxFrameSize(65536).setMaxMessageSize(262144)));
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> tokens = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        LoadGen gen = new LoadGen(tokens, args[1], Integer.parseInt(args[2]), args.length > 3 && args[3].equals("acks"));
        int port = gen.vertx.createHttpServer().requestHandler(gen::control).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get().actualPort();
        System.out.println(READY + port);
        System.out.flush();
        // ManagedProcess closes our stdin: exit when the orchestrator is gone (our parent changes)
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (parent == null || parent.isAlive()) {
            Thread.sleep(1000);
        }
        System.exit(0);
    }

    private void control(HttpServerRequest request) {
        String answer;
        try {
            answer = switch (request.path()) {
                case "/connect" -> connect(Integer.parseInt(request.getParam("port")),
                        Integer.parseInt(request.getParam("from")), Integer.parseInt(request.getParam("to")),
                        Integer.parseInt(request.getParam("concurrency", "100")),
                        Double.parseDouble(request.getParam("rate", "0")));
                case "/status" -> status();
                // a group this process never received a frame of is answered empty, not made: the bench asks every
                // process about every group, and the end-to-end client (64 MB) ran out of heap holding a histogram for
                // each fan-out rep
                case "/stats" -> groups.getOrDefault(request.getParam("group"), NO_FRAMES)
                        .encode("1".equals(request.getParam("hist", "1")));
                case "/seconds" -> groups.getOrDefault(request.getParam("group"), NO_FRAMES).seconds();
                case "/close" -> closeAll(Integer.parseInt(request.getParam("port")));
                case "/acks" -> {
                    acks = "true".equals(request.getParam("on"));
                    ackDelayMs = Long.parseLong(request.getParam("delay", "0"));
                    yield "acks " + acks;
                }
                default -> "unknown";
            };
        } catch (RuntimeException e) {
            request.response().setStatusCode(500).end(e.toString());
            return;
        }
        request.response().end(answer);
    }

    /**
     * Opens sockets to 127.0.0.1:{@code port} with the tokens of lines [from, to), at most {@code concurrency} at a time
     * and, when {@code rate} is above 0, at most {@code rate} per second (the k-th no earlier than k / rate s after the
     * first): a storm at a given pace rather than as fast as the gateway takes them.
     */
    private String connect(int port, int from, int to, int concurrency, double rate) {
        AtomicInteger next = new AtomicInteger(from);
        long start = System.nanoTime();
        long nanosApart = rate > 0 ? (long) (1e9 / rate) : 0;
        for (int i = 0; i < concurrency; i++) {
            connectNext(port, next, to, from, start, nanosApart);
        }
        return "connecting " + (to - from);
    }

    private void connectNext(int port, AtomicInteger next, int to, int from, long start, long nanosApart) {
        int line = next.getAndIncrement();
        if (line >= to) {
            return;
        }
        long early = start + (line - from) * nanosApart - System.nanoTime();
        if (early >= 1_000_000) {
            vertx.setTimer(early / 1_000_000, t -> open(port, line, () -> connectNext(port, next, to, from, start, nanosApart)));
        } else {
            open(port, line, () -> connectNext(port, next, to, from, start, nanosApart));
        }
    }

    /** Opens the socket of token line {@code line}, then runs {@code then} (whether it opened or not). */
    private void open(int port, int line, Runnable then) {
        inFlight.incrementAndGet();
        WebSocketClient client = clients.get((int) (nextClient.getAndIncrement() % clients.size()));
        // the token travels as browsers send it (the dashboard's carrier): in the subprotocol list, not in the URI,
        // which Vert.x and Netty keep for the socket's lifetime
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/api/ws")
                .setSubProtocols(List.of("bearer-token-carrier", java.net.URLEncoder.encode(
                        "quarkus-http-upgrade#Authorization#Bearer " + tokens.get(line), StandardCharsets.UTF_8).replace("+", "%20"))))
                .onComplete(result -> {
                    inFlight.decrementAndGet();
                    done.incrementAndGet();
                    if (result.succeeded()) {
                        WebSocket ws = result.result();
                        byPort.computeIfAbsent(port, p -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(ws);
                        AtomicInteger onPort = openByPort.computeIfAbsent(port, p -> new AtomicInteger());
                        onPort.incrementAndGet();
                        open.incrementAndGet();
                        Acker acker = new Acker(ws);
                        // the store's seqs, and the rig's own events' (Rig: from 1e9 up), each in order on a socket
                        long[] lastSeq = { 0, 0 };
                        ws.textMessageHandler(text -> {
                            if (acks) {
                                acker.onFrame(text);
                            }
                            long seq = seq(text);
                            if (seq > 0) {
                                int space = seq >= Rig.FIRST_BENCH_SEQ ? 1 : 0;
                                if (seq <= lastSeq[space]) {
                                    duplicateFrames.incrementAndGet();
                                    if (duplicateExamples.size() < 10) {
                                        int id = text.indexOf("\"id\":\"");
                                        duplicateExamples.add(seq + "<=" + lastSeq[space] + ":"
                                                + (id < 0 ? "?" : text.substring(id + 6, Math.min(text.length(), id + 42))));
                                    }
                                }
                                lastSeq[space] = Math.max(lastSeq[space], seq);
                            }
                            onFrame(text);
                        });
                        ws.closeHandler(v -> {
                            onPort.decrementAndGet();
                            open.decrementAndGet();
                            closed.incrementAndGet();
                            Short code = ws.closeStatusCode();
                            closeCodes.computeIfAbsent(code == null ? -1 : (int) code, c -> new AtomicInteger())
                                    .incrementAndGet();
                        });
                        ws.exceptionHandler(e -> lastFailure = e.toString());
                    } else {
                        failed.incrementAndGet();
                        lastFailure = String.valueOf(result.cause());
                    }
                    then.run();
                });
    }

    /** A frame's {@code "seq"} (every event the gateway pushes has one, in stream order per socket), or 0. */
    static long seq(String text) {
        int s = text.indexOf("\"seq\":");
        if (s < 0) {
            return 0;
        }
        s += 6;
        while (s < text.length() && text.charAt(s) == ' ') {
            s++;
        }
        long seq = 0;
        for (char c; s < text.length() && (c = text.charAt(s)) >= '0' && c <= '9'; s++) {
            seq = seq * 10 + (c - '0');
        }
        return seq;
    }

    private void onFrame(String text) {
        long nowUs = nowMicros();
        int b = text.indexOf("\"bench\":\""); // the gateway writes compact JSON
        if (b < 0) {
            otherFrames.incrementAndGet();
            return;
        }
        int start = b + 9;
        String group = text.substring(start, text.indexOf('"', start));
        int s = text.indexOf("\"sent_us\":") + 10;
        while (s < text.length() && text.charAt(s) == ' ') {
            s++;
        }
        long sent = 0;
        for (char c; s < text.length() && (c = text.charAt(s)) >= '0' && c <= '9'; s++) {
            sent = sent * 10 + (c - '0');
        }
        groups.computeIfAbsent(group, g -> new Group()).record(nowUs, sent);
        if (group.startsWith("e2e")) {
            // the second half of the path: stored (created_at, set by notification-service's send writer) -> here
            int c = text.indexOf("\"created_at\":\"");
            if (c >= 0) {
                Instant created = Instant.parse(text.substring(c + 14, text.indexOf('"', c + 14)));
                groups.computeIfAbsent(group + STORED, g -> new Group()).record(nowUs,
                        created.getEpochSecond() * 1_000_000L + created.getNano() / 1000);
            }
        }
    }

    /**
     * One socket's acks: a notification frame's id (the gateway writes it first: {@code {"id":"<uuid>",...}})
     * is queued, and the queue is sent as one {@code ack} frame once the frames of this read are handled
     * (a task on the socket's event loop runs after them). Touched on that event loop only.
     */
    private final class Acker {
        private final WebSocket ws;
        private final List<String> ids = new ArrayList<>();
        private long lastSentMs;

        Acker(WebSocket ws) {
            this.ws = ws;
        }

        void onFrame(String text) {
            if (!text.startsWith("{\"id\":\"") || text.length() < 43) {
                return;
            }
            if (ids.isEmpty()) {
                long wait = Math.max(ackDelayMs, lastSentMs + MIN_ACK_INTERVAL_MS - System.currentTimeMillis());
                if (wait <= 0) {
                    vertx.getOrCreateContext().runOnContext(v -> flush());
                } else {
                    vertx.setTimer(wait, t -> flush());
                }
            }
            ids.add(text.substring(7, 43));
        }

        private void flush() {
            lastSentMs = System.currentTimeMillis();
            for (int from = 0; from < ids.size(); from += MAX_ACK_IDS) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + MAX_ACK_IDS));
                ws.writeTextMessage("{\"type\":\"ack\",\"ids\":[\"" + String.join("\",\"", batch) + "\"]}");
                ackFrames.incrementAndGet();
                ackIds.addAndGet(batch.size());
            }
            ids.clear();
        }
    }

    private String closeAll(int port) {
        List<WebSocket> sockets = byPort.remove(port);
        int n = 0;
        if (sockets != null) {
            synchronized (sockets) {
                for (WebSocket ws : sockets) {
                    ws.close();
                    n++;
                }
            }
        }
        return "closing " + n;
    }

    private String status() {
        Map<Integer, Integer> codes = new TreeMap<>();
        closeCodes.forEach((k, v) -> codes.put(k, v.get()));
        Map<Integer, Integer> ports = new TreeMap<>();
        openByPort.forEach((k, v) -> ports.put(k, v.get()));
        return "open=" + open.get() + " done=" + done.get() + " inflight=" + inFlight.get() + " failed=" + failed.get() + " closed="
                + closed.get() + " other_frames=" + otherFrames.get() + " close_codes=" + codes.toString().replace(' ', ',')
                + " ports=" + ports.toString().replace(' ', ',') + " ack_frames=" + ackFrames.get() + " ack_ids=" + ackIds.get() + " duplicate_frames=" + duplicateFrames.get()
                + " duplicate_examples=" + String.join(",", duplicateExamples) + " last_failure=" + lastFailure.replace(' ', '_');
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
