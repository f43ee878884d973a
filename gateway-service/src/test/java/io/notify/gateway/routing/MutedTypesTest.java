package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.notify.gateway.GatewayMetrics;
import io.notify.gateway.client.NotificationStoreClient;
import io.notify.gateway.client.StoreStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;

/**
 * A user's muted types come from the store when their first socket opens, loaded in batches: a storm of sockets costs
 * the store one request per hundred users or so, a lone user's load goes out at once. When the store is too busy to
 * answer (a reconnect storm) the batch's users are asked for again later, so they do not get the types they muted pushed
 * for as long as their sockets live; a token the store does not accept is not asked for again.
 *
 * <p>The stand-in store answers like notification-service: one result per token, the token's holder being the part of
 * these test tokens before the {@code /}; a bearer token it does not accept is a 401.
 */
@QuarkusTest
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class MutedTypesTest {

    final ObjectMapper json = new ObjectMapper();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The tokens of each request the store received, in order. */
    final List<List<String>> requests = new CopyOnWriteArrayList<>();
    /** Token -> in how many requests the store was asked for it. */
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    /** Token -> how many of the requests asking for it the store answers 503 before answering. */
    final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
    /** Tokens the store does not accept. */
    final Set<String> invalid = ConcurrentHashMap.newKeySet();
    /** Tokens whose requests the store holds until {@link #releaseHeld()}. */
    final Set<String> hold = ConcurrentHashMap.newKeySet();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    final AtomicInteger answering = new AtomicInteger();
    final AtomicInteger mostAnsweringAtOnce = new AtomicInteger();
    /** The users connected here and the token each socket acts with now. */
    final Map<String, String> connected = new ConcurrentHashMap<>();
    MutedTypes muted;

    @Inject
    @RestClient
    NotificationStoreClient client;

    @Inject
    Vertx vertx;

    @BeforeEach
    void start() {
        StoreStandIn.answer(request -> request.body().onSuccess(body -> {
            mostAnsweringAtOnce.accumulateAndGet(answering.incrementAndGet(), Math::max);
            List<String> tokens = body.toJsonObject().getJsonArray("tokens").stream().map(Object::toString).toList();
            requests.add(tokens);
            boolean fail = false;
            for (String token : tokens) {
                fail |= asked.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet() <= failFirst.getOrDefault(token, 0);
            }
            String bearer = request.getHeader("Authorization").substring("Bearer ".length());
            int status = fail ? 503 : invalid.contains(bearer) ? 401 : 200;
            Runnable answer = () -> {
                answering.decrementAndGet();
                request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                        .end(status == 200 ? results(tokens) : "{\"status\":" + status + "}");
            };
            if (tokens.stream().anyMatch(hold::contains)) {
                held.add(answer);
            } else {
                vertx.setTimer(5, t -> answer.run()); // a little later, so that loads overlap as in a storm
            }
        }));
        ConnectionIndex registry = new ConnectionIndex() {
            @Override
            public boolean holds(String userId) {
                return connected.containsKey(userId);
            }

            @Override
            public String tokenOf(String userId) {
                return connected.get(userId);
            }

            @Override
            public int users() {
                return connected.size();
            }
        };
        muted = new MutedTypes(client, registry, new GatewayMetrics(meters, registry), vertx, 200);
    }

    @AfterEach
    void releaseHeld() {
        hold.clear();
        held.forEach(Runnable::run);
        held.clear();
    }

    /** Each user mutes {@code digest}. */
    private String results(List<String> tokens) {
        JsonArray results = new JsonArray();
        for (String token : tokens) {
            results.add(invalid.contains(token) ? new JsonObject().put("error", "invalid_token")
                    : new JsonObject().put("user_id", token.substring(0, token.indexOf('/'))).put("muted", new JsonArray().add("digest")));
        }
        return new JsonObject().put("results", results).encode();
    }

    /** The user's socket opens with {@code token}. */
    private void connect(String userId, String token) {
        connected.put(userId, token);
        onEventLoop(() -> muted.load(userId));
    }

    /** Runs {@code action} on an event loop, as the sockets' callbacks do, and returns once it ran. */
    private void onEventLoop(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            action.run();
            done.complete(null);
        });
        done.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void aStormOfUsers_isLoadedInAFewBatches_theFirstAtOnce_eachUserAskedOnce() {
        int users = 250;
        for (int i = 0; i < users; i++) {
            connected.put("storm-" + i, "storm-" + i + "/token");
        }
        onEventLoop(() -> {
            for (int i = 0; i < users; i++) {
                muted.load("storm-" + i);
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
        for (int i = 0; i < users; i++) {
            assertThat(muted.mutes("storm-" + i, created("digest"))).as("storm-" + i).isTrue();
            assertThat(asked.get("storm-" + i + "/token")).as("asked once").hasValue(1);
        }
        assertThat(requests).as("the first user's load goes out alone, the others in batches of up to 100 as loads finish")
                .hasSizeLessThanOrEqualTo(5).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
        assertThat(requests.get(0)).containsExactly("storm-0/token");
        assertThat(mostAnsweringAtOnce).as("batches in flight at once").hasValueLessThanOrEqualTo(2);
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count()).isZero();
    }

    @Test
    void usersArrivingOneByOne_whileTheStoreAnswersFast_areGathered_oneBatchPerPaceAtMost() {
        connect("warm", "warm/token"); // the client's first call opens its connection: not part of the measure
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("warm", created("digest")));
        requests.clear();
        int users = 200;
        AtomicInteger arrived = new AtomicInteger();
        long start = System.nanoTime();
        long arrivals = vertx.setPeriodic(1, t -> { // a socket opens about every millisecond
            int i = arrived.getAndIncrement();
            if (i < users) {
                connected.put("trickle-" + i, "trickle-" + i + "/token");
                muted.load("trickle-" + i);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> arrived.get() >= users && pending() == 0);
        } finally {
            vertx.cancelTimer(arrivals);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(requests).as("in %d ms (the store answers each in about 5 ms)", millis)
                .hasSizeLessThanOrEqualTo((int) (millis / MutedTypes.PACE_MILLIS) + 2);
        for (int i = 0; i < users; i++) {
            assertThat(muted.mutes("trickle-" + i, created("digest"))).as("trickle-" + i).isTrue();
        }
    }

    @Test
    void aStoreBusyForLongerThanTheClientsRetries_theMutedTypesArriveOnceItAnswers() {
        failFirst.put("u1/tab", 7); // the store client gives up after 3 calls; twice in a row here
        connect("u1", "u1/tab");

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u1", created("digest")));
        assertThat(muted.mutes("u1", created("general"))).isFalse();
        assertThat(pending()).as("loaded").isZero();
        assertThat(asked.get("u1/tab")).hasValue(8);
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count())
                .as("two loads of three calls each failed before the third load's second call was answered").isEqualTo(2);
    }

    @Test
    void aFailedBatch_isTriedAgainForAllItsUsers_withTheTokensTheirSocketsActWithNow() {
        hold.add("u0/held");
        connect("u0", "u0/held");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        failFirst.put("u2/first", 99);
        connected.put("u2", "u2/first");
        connected.put("u3", "u3/tab");
        onEventLoop(() -> {
            muted.load("u2");
            muted.load("u3");
        });
        releaseHeld();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> asked.containsKey("u2/first") && asked.get("u2/first").get() >= 3);
        connected.put("u2", "u2/refreshed"); // the socket's token was refreshed meanwhile

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u2", created("digest")) && muted.mutes("u3", created("digest")));
        assertThat(asked.get("u2/first").get()).as("one batch of three calls, or two").isIn(3, 6);
        assertThat(asked.get("u2/refreshed")).hasValue(1);
        assertThat(requests.stream().filter(r -> r.contains("u2/first"))).allSatisfy(r -> assertThat(r).containsExactly("u2/first", "u3/tab"));
    }

    @Test
    void aUserWhoLeftBeforeTheStoreAnswered_isNotAskedForAgain() {
        failFirst.put("u3/gone", 99);
        connected.put("u3", "u3/gone");
        onEventLoop(() -> {
            muted.load("u3");
            connected.remove("u3"); // the socket closes while its load is still being tried
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> asked.containsKey("u3/gone") && asked.get("u3/gone").get() == 3);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> asked.get("u3/gone").get() == 3);
    }

    @Test
    void aTokenTheStoreDoesNotAccept_isFinal_andTheOthersOfItsBatchAreLoaded() {
        hold.add("u0/held");
        connect("u0", "u0/held");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        invalid.add("u4/expired"); // first of the next batch: its token asks for the batch, and the store answers 401
        invalid.add("u7/expired"); // further on: its own result is invalid_token
        for (String user : List.of("u4", "u5", "u7", "u6")) {
            connected.put(user, user + (invalid.contains(user + "/expired") ? "/expired" : "/tab"));
        }
        onEventLoop(() -> List.of("u4", "u5", "u7", "u6").forEach(muted::load));
        releaseHeld();

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u5", created("digest")) && muted.mutes("u6", created("digest")));
        assertThat(requests).containsExactly(List.of("u0/held"), List.of("u4/expired", "u5/tab", "u7/expired", "u6/tab"),
                List.of("u5/tab", "u7/expired", "u6/tab"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> requests.size() == 3);
        assertThat(muted.mutes("u4", created("digest"))).isFalse();
        assertThat(muted.mutes("u7", created("digest"))).isFalse();
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count()).isEqualTo(2);
    }

    @Test
    void aLoadAnsweredAfterAPreferencesUpdate_doesNotOverrideIt() {
        hold.add("u8/tab");
        connect("u8", "u8/tab");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

        muted.update("u8", json.createObjectNode().set("types", json.createObjectNode().put("general", false).put("digest", true)));
        releaseHeld();

        await().atMost(Duration.ofSeconds(10)).until(() -> asked.containsKey("u8/tab") && answering.get() == 0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> muted.mutes("u8", created("general")) && !muted.mutes("u8", created("digest")));
        assertThat(pending()).isZero();
    }

    @Test
    void aSecondTabOfAUserWhosePreferencesAreKnownOrBeingLoaded_doesNotAskTheStoreAgain() {
        hold.add("u9/tab");
        connect("u9", "u9/tab");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        onEventLoop(() -> muted.load("u9")); // a second tab while the first one's load is in flight
        releaseHeld();
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u9", created("digest")));

        onEventLoop(() -> muted.load("u9"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> asked.get("u9/tab").get() == 1);
    }

    private double pending() {
        return meters.get("notify.gateway.preferences.pending").gauge().value();
    }

    private NotificationEvent created(String type) {
        ObjectNode notification = json.createObjectNode().put("type", type).put("priority", "normal");
        return new NotificationEvent("e-" + type, 1, "created", 1, new Audience("company", List.of(), "co", null),
                OffsetDateTime.now(), notification, null, null, null);
    }
}
