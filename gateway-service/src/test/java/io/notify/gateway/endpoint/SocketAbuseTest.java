package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The abuse cases that need more than a well-behaved client library: frames with RSV1 set (a
 * decompression bomb among them) and a storm of 1,000 connection attempts per second. Each time the gateway answers with a close code or HTTP status, stays up, its heap
 * stays bounded, and another user's socket keeps receiving.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class SocketAbuseTest {

    static final String WS = "/api/ws";
    /** How much the heap may grow (after a GC) across an abuse case: far below one bomb's inflated size. */
    static final long HEAP_GROWTH_LIMIT = 48L * 1024 * 1024;

    static final Vertx VERTX = Vertx.vertx();

    @TestHTTPResource("/")
    URI base;

    final String userId = UUID.randomUUID().toString();
    final String user = token(userId, "member", "co_" + userId.substring(0, 8), Set.of("user"));

    @BeforeEach
    void ready() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterAll
    static void closeVertx() {
        VERTX.close();
    }

    static void assertHeapBounded(String what, long before) {
        long growth = heapAfterGc() - before;
        System.out.printf("%s: heap growth after GC %d KiB%n", what, growth / 1024);
        assertThat(growth).as(what + ": heap growth after GC").isLessThan(HEAP_GROWTH_LIMIT);
    }

    /** Used heap after a full collection (the gateway runs in this JVM under @QuarkusTest). */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void compressionBomb_failsTheConnectionWith1002_neverInflated_andOthersKeepReceiving() throws Exception {
        // 64 MiB of spaces deflate to ~64 KiB: one frame under the 64 KiB frame limit on the wire
        byte[] bomb = RawWebSocket.deflatedText(64 * 1024 * 1024);
        assertThat(bomb.length).isLessThan(65_536);
        long heapBefore = heapAfterGc();
        try (Bystander bystander = Bystander.open(base); RawWebSocket attacker = RawWebSocket.connect(base, WS, user)) {
            // offered permessage-deflate, but the gateway negotiates no extension: nothing is ever inflated
            assertThat(attacker.compressionNegotiated()).as(attacker.handshake).isFalse();
            attacker.sendTextWithRsv1(bomb);
            assertThat(attacker.awaitCloseOrReply()).as("RFC 6455 §5.2: RSV1 without an extension")
                    .isEqualTo("close:1002");
            assertThat(attacker.awaitEnd()).as("the connection is failed, not kept").isTrue();
            bystander.assertStillReceiving();
        }
        assertHeapBounded("compression bomb", heapBefore);
    }

    @Test
    void rsv1Frame_evenOnAValidFrame_failsTheConnectionWith1002_andOthersKeepReceiving() throws Exception {
        try (Bystander bystander = Bystander.open(base); RawWebSocket attacker = RawWebSocket.connect(base, WS, user)) {
            // a ping the gateway would answer with pong, were RSV1 not set
            attacker.sendTextWithRsv1("{\"type\":\"ping\",\"ref\":\"r1\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(attacker.awaitCloseOrReply()).isEqualTo("close:1002");
            assertThat(attacker.awaitEnd()).as("the connection is failed, not kept").isTrue();
            bystander.assertStillReceiving();
        }
    }

    @Test
    void connectionStorm_ofAThousandAttemptsPerSecond_isServed_andOthersKeepReceiving() throws Exception {
        int attempts = 1_000;
        WebSocketClient client = VERTX.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(attempts).setConnectTimeout(20_000));
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(attempts);
        long heapBefore = heapAfterGc();
        try (Bystander bystander = Bystander.open(base)) {
            long start = System.nanoTime();
            for (int i = 0; i < attempts; i++) {
                // pace the attempts at 1,000 per second; 3 of 4 carry no token, 1 of 4 a valid one
                LockSupport.parkNanos(start + TimeUnit.MILLISECONDS.toNanos(i) - System.nanoTime());
                WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost())
                        .setPort(base.getPort()).setURI(WS);
                if (i % 4 == 0) {
                    options.addHeader("Authorization", "Bearer " + user);
                }
                client.connect(options).onComplete(result -> {
                    String outcome;
                    if (result.succeeded()) {
                        outcome = "101";
                        result.result().close();
                    } else if (result.cause() instanceof UpgradeRejectedException rejected) {
                        outcome = String.valueOf(rejected.getStatus());
                    } else {
                        outcome = result.cause().getClass().getSimpleName();
                    }
                    outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    done.countDown();
                });
            }
            double issuedPerSecond = attempts / ((System.nanoTime() - start) / 1e9);
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every attempt got an answer: " + outcomes).isTrue();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("connection storm: %d attempts issued at %.0f/s, all answered in %d ms: %s%n",
                    attempts, issuedPerSecond, tookMs, outcomes);

            // the valid ones were let in even though sockets per user are capped (each closes at once)
            assertThat(outcomes.keySet()).as("only upgrades and 401s, no errors: " + outcomes)
                    .containsOnly("101", "401");
            assertThat(outcomes.get("401").get()).isEqualTo(attempts * 3 / 4);
            bystander.assertStillReceiving();
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            client.close();
        }
        assertHeapBounded("connection storm", heapBefore);
    }
}
