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
import io.notify.gateway.client.PreferenceLoads;
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
 * for as long as their sockets live. Each load carries the gateway's own token (from the stand-in's token endpoint),
 * never a user's.
 *
 * <p>The stand-in store answers like notification-service: one result per user id, in order.
 */
@QuarkusTest
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class MutedTypesTest {

    final ObjectMapper json = new ObjectMapper();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The user ids of each request the store received, in order. */
    final List<List<String>> requests = new CopyOnWriteArrayList<>();
    /** The bearer token of each request the store received. */
    final Set<String> bearers = ConcurrentHashMap.newKeySet();
    /** User -> in how many requests the store was asked for them. */
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    /** User -> how many of the requests asking for them the store answers 503 before answering. */
    final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
    /** Users whose requests the store holds until {@link #releaseHeld()}. */
    final Set<String> hold = ConcurrentHashMap.newKeySet();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    final AtomicInteger answering = new AtomicInteger();
    final AtomicInteger mostAnsweringAtOnce = new AtomicInteger();
    /** The users connected here. */
    final Set<String> connected = ConcurrentHashMap.newKeySet();
    MutedTypes muted;
    final Topics topics = new Topics();

    @Inject
    @RestClient
    PreferenceLoads client;

    @Inject
    Vertx vertx;

    @BeforeEach
    void start() {
        StoreStandIn.answer(request -> request.body().onSuccess(body -> {
            mostAnsweringAtOnce.accumulateAndGet(answering.incrementAndGet(), Math::max);
            List<String> users = body.toJsonObject().getJsonArray("user_ids").stream().map(Object::toString).toList();
            requests.add(users);
            bearers.add(String.valueOf(request.getHeader("Authorization")));
            boolean fail = false;
            for (String user : users) {
                fail |= asked.computeIfAbsent(user, t -> new AtomicInteger()).incrementAndGet() <= failFirst.getOrDefault(user, 0);
            }
            int status = fail ? 503 : 200;
            Runnable answer = () -> {
                answering.decrementAndGet();
                request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                        .end(status == 200 ? results(users) : "{\"status\":" + status + "}");
            };
            if (users.stream().anyMatch(hold::contains)) {
                held.add(answer);
            } else {
                vertx.setTimer(5, t -> answer.run()); // a little later, so that loads overlap as in a storm
            }
        }));
        ConnectionIndex registry = new ConnectionIndex() {
            @Override
            public boolean holds(String userId) {
                return connected.contains(userId);
            }

            @Override
            public int users() {
                return connected.size();
            }
        };
        muted = new MutedTypes(client, new QuietHours(), topics, registry, new GatewayMetrics(meters, registry), vertx, 200);
    }

    @AfterEach
    void releaseHeld() {
        hold.clear();
        held.forEach(Runnable::run);
        held.clear();
    }

    /** Each user mutes {@code digest} and subscribes to the topic {@code project-42} of company {@code co} since seq 10. */
    private String results(List<String> users) {
        JsonArray results = new JsonArray();
        for (String user : users) {
            results.add(new JsonObject().put("user_id", user).put("muted", new JsonArray().add("digest")).put("topics",
                    new JsonArray().add(new JsonObject().put("topic", "project-42").put("company", "co").put("since_seq", 10))));
        }
        return new JsonObject().put("results", results).encode();
    }

    /** The user's socket opens. */
    private void connect(String userId) {
        connected.add(userId);
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
            connected.add("storm-" + i);
        }
        onEventLoop(() -> {
            for (int i = 0; i < users; i++) {
                muted.load("storm-" + i);
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
        for (int i = 0; i < users; i++) {
            assertThat(muted.mutes("storm-" + i, created("digest"))).as("storm-" + i).isTrue();
            assertThat(asked.get("storm-" + i)).as("asked once").hasValue(1);
        }
        assertThat(requests).as("the first user's load goes out alone, the others in batches of up to 100 as loads finish")
                .hasSizeLessThanOrEqualTo(5).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
        assertThat(requests.get(0)).containsExactly("storm-0");
        assertThat(bearers).as("the gateway's own token, for every batch").containsExactly("Bearer " + StoreStandIn.gatewayToken());
        assertThat(mostAnsweringAtOnce).as("batches in flight at once").hasValueLessThanOrEqualTo(2);
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count()).isZero();
    }

    @Test
    void usersArrivingOneByOne_whileTheStoreAnswersFast_areGathered_oneBatchPerPaceAtMost() {
        connect("warm"); // the client's first call opens its connection: not part of the measure
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("warm", created("digest")));
        requests.clear();
        int users = 200;
        AtomicInteger arrived = new AtomicInteger();
        long start = System.nanoTime();
        long arrivals = vertx.setPeriodic(1, t -> { // a socket opens about every millisecond
            int i = arrived.getAndIncrement();
            if (i < users) {
                connected.add("trickle-" + i);
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
        failFirst.put("u1", 7); // the store client gives up after 3 calls; twice in a row here
        connect("u1");

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u1", created("digest")));
        assertThat(muted.mutes("u1", created("general"))).isFalse();
        assertThat(pending()).as("loaded").isZero();
        assertThat(asked.get("u1")).hasValue(8);
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count())
                .as("two loads of three calls each failed before the third load's second call was answered").isEqualTo(2);
    }

    @Test
    void aFailedBatch_isTriedAgainForAllItsUsers() {
        hold.add("u0");
        connect("u0");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        failFirst.put("u2", 3);
        connected.add("u2");
        connected.add("u3");
        onEventLoop(() -> {
            muted.load("u2");
            muted.load("u3");
        });
        releaseHeld();

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u2", created("digest")) && muted.mutes("u3", created("digest")));
        assertThat(asked.get("u2")).as("one batch of three calls failed, the next one's first answered").hasValue(4);
        assertThat(requests.stream().filter(r -> r.contains("u2"))).allSatisfy(r -> assertThat(r).containsExactly("u2", "u3"));
    }

    @Test
    void aUserWhoLeftBeforeTheStoreAnswered_isNotAskedForAgain() {
        failFirst.put("u3", 99);
        connected.add("u3");
        onEventLoop(() -> {
            muted.load("u3");
            connected.remove("u3"); // the socket closes while its load is still being tried
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> asked.containsKey("u3") && asked.get("u3").get() == 3);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> asked.get("u3").get() == 3);
    }

    @Test
    void aLoadAnsweredAfterAPreferencesUpdate_doesNotOverrideIt() {
        hold.add("u8");
        connect("u8");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

        muted.update("u8", json.createObjectNode().set("types", json.createObjectNode().put("general", false).put("digest", true)));
        releaseHeld();

        await().atMost(Duration.ofSeconds(10)).until(() -> asked.containsKey("u8") && answering.get() == 0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> muted.mutes("u8", created("general")) && !muted.mutes("u8", created("digest")));
        assertThat(pending()).isZero();
    }

    /**
     * A preferences update can make a user's muted types known before their load went out (it is routed between their
     * socket's indexing and the load): their load still goes out, for the topics they subscribe to.
     */
    @Test
    void aPreferencesUpdateBeforeTheLoad_stillLoadsTheUsersTopics() {
        connected.add("u10");
        muted.update("u10", json.createObjectNode().set("types", json.createObjectNode().put("general", false)));
        onEventLoop(() -> muted.load("u10"));

        await().atMost(Duration.ofSeconds(10)).until(() -> subscribers("project-42", 11).contains("u10"));
        assertThat(asked.get("u10").get()).isEqualTo(1);
        assertThat(subscribers("project-42", 10)).doesNotContain("u10"); // sent before the subscription
        assertThat(muted.mutes("u10", created("general"))).isTrue(); // the update, not the older load
        assertThat(muted.mutes("u10", created("digest"))).isFalse();
    }

    /**
     * Subscription changes routed while a user's load is out are newer than the load's answer when their seq is higher:
     * the answer does not bring back a topic they left after it, and does not drop one they joined.
     */
    @Test
    void subscriptionChangesWhileTheLoadIsOut_areMergedWithItsAnswer() {
        hold.add("u11");
        connect("u11");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        onEventLoop(() -> {
            muted.subscriptionChanged("u11", "co", "project-42", false, 20); // left after the load's since_seq 10
            muted.subscriptionChanged("u11", "co", "invoice-7", true, 15);
        });
        assertThat(subscribers("invoice-7", 16)).contains("u11"); // routed already, before the answer
        releaseHeld();

        await().atMost(Duration.ofSeconds(10)).until(() -> asked.containsKey("u11") && answering.get() == 0
                && pending() == 0);
        assertThat(subscribers("project-42", 30)).doesNotContain("u11");
        assertThat(subscribers("invoice-7", 16)).contains("u11");

        onEventLoop(() -> muted.subscriptionChanged("u11", "co", "project-42", true, 40)); // known now: applies at once
        assertThat(subscribers("project-42", 41)).contains("u11");
        assertThat(subscribers("project-42", 40)).doesNotContain("u11");

        connected.remove("u11");
        muted.forgetIfGone("u11");
        assertThat(subscribers("project-42", 41)).isEmpty();
        assertThat(subscribers("invoice-7", 16)).isEmpty();
    }

    private List<String> subscribers(String topic, long seq) {
        List<String> users = new java.util.ArrayList<>();
        topics.forEachSubscriber("co", topic, seq, users::add);
        return users;
    }

    @Test
    void aSecondTabOfAUserWhosePreferencesAreKnownOrBeingLoaded_doesNotAskTheStoreAgain() {
        hold.add("u9");
        connect("u9");
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        onEventLoop(() -> muted.load("u9")); // a second tab while the first one's load is in flight
        releaseHeld();
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u9", created("digest")));

        onEventLoop(() -> muted.load("u9"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> asked.get("u9").get() == 1);
    }

    private double pending() {
        return meters.get("notify.gateway.preferences.pending").gauge().value();
    }

    private NotificationEvent created(String type) {
        ObjectNode notification = json.createObjectNode().put("type", type).put("priority", "normal");
        return new NotificationEvent("e-" + type, 1, "created", 1, new Audience("company", List.of(), "co", null, null),
                OffsetDateTime.now(), notification, null, null, null, null, null, null, null);
    }
}
