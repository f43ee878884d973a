package io.notify.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.rest.client.inject.RestClient;
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
import jakarta.inject.Inject;

/**
 * A user's muted types come from the store when their socket opens. When the store is too busy to
 * answer (a reconnect storm) the load is tried again later, so the user does not get the types they
 * muted pushed for as long as their socket lives; a refusal (the token) is not asked again.
 */
@QuarkusTest
@QuarkusTestResource(value = StoreStandIn.class, restrictToAnnotatedClass = true)
class MutedTypesTest {

    static final String MUTES_DIGEST = "{\"types\":{\"digest\":false,\"general\":true}}";

    final ObjectMapper json = new ObjectMapper();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Token -> how many of its calls the store answers with {@link #failStatus} before answering. */
    final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    volatile int failStatus = 503;
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
        StoreStandIn.answer(request -> {
            String token = request.getHeader("Authorization");
            int call = calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            if (call <= failFirst.getOrDefault(token, 0)) {
                request.response().setStatusCode(failStatus).end();
            } else {
                request.response().putHeader("Content-Type", "application/json").end(MUTES_DIGEST);
            }
        });
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

    @Test
    void aStormOfUsersBeyondTheBulkheadsQueue_everyUsersMutedTypesArrive_eachAskedOnce() {
        int users = 60; // 2 loads at a time and 18 waiting in the test profile: 40 are turned away at first
        for (int i = 0; i < users; i++) {
            connected.put("storm-" + i, "storm-token-" + i);
        }
        vertx.runOnContext(v -> {
            for (int i = 0; i < users; i++) {
                muted.load("storm-" + i, "storm-token-" + i);
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);
        for (int i = 0; i < users; i++) {
            assertThat(muted.mutes("storm-" + i, created("digest"))).as("storm-" + i).isTrue();
            assertThat(calls.get("Bearer storm-token-" + i)).as("asked once").hasValue(1);
        }
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count()).isZero();
    }

    @Test
    void aStoreBusyForLongerThanTheLoadsRetries_theMutedTypesArriveOnceItAnswers() {
        connected.put("u1", "tab-token");
        failFirst.put("Bearer tab-token", 7); // the store client gives up after 3 calls; twice in a row here
        vertx.runOnContext(v -> muted.load("u1", "tab-token"));

        assertThat(pending()).as("not loaded yet").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u1", created("digest")));
        assertThat(muted.mutes("u1", created("general"))).isFalse();
        assertThat(pending()).as("loaded").isZero();
        assertThat(calls.get("Bearer tab-token")).hasValue(8);
        assertThat(meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count())
                .as("two loads of three calls each failed before the third load's second call was answered").isEqualTo(2);
    }

    @Test
    void aFailedLoad_isTriedAgainWithTheTokenTheSocketActsWithNow() {
        connected.put("u2", "refreshed-token");
        failFirst.put("Bearer first-token", 99);
        vertx.runOnContext(v -> muted.load("u2", "first-token"));

        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u2", created("digest")));
        assertThat(calls.get("Bearer first-token")).hasValue(3);
        assertThat(calls.get("Bearer refreshed-token")).hasValue(1);
    }

    @Test
    void aUserWhoLeftBeforeTheStoreAnswered_isNotAskedForAgain() {
        failFirst.put("Bearer gone-token", 99);
        connected.put("u3", "gone-token");
        vertx.runOnContext(v -> {
            muted.load("u3", "gone-token");
            connected.remove("u3"); // the socket closes while its load is still being tried
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> calls.containsKey("Bearer gone-token")
                && calls.get("Bearer gone-token").get() == 3);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> calls.get("Bearer gone-token").get() == 3);
    }

    @Test
    void aRefusal_isFinal() {
        failStatus = 401;
        connected.put("u4", "expired-token");
        failFirst.put("Bearer expired-token", 99);
        vertx.runOnContext(v -> muted.load("u4", "expired-token"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> meters.counter("notify.gateway.errors", "kind", "preferences_unavailable").count() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> calls.get("Bearer expired-token").get() == 1);
        assertThat(muted.mutes("u4", created("digest"))).isFalse();
    }

    @Test
    void aSecondTabOfAUserWhosePreferencesAreKnown_doesNotAskTheStoreAgain() {
        connected.put("u5", "tab-token-5");
        vertx.runOnContext(v -> muted.load("u5", "tab-token-5"));
        await().atMost(Duration.ofSeconds(20)).until(() -> muted.mutes("u5", created("digest")));

        vertx.runOnContext(v -> muted.load("u5", "tab-token-5"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> calls.get("Bearer tab-token-5").get() == 1);
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
