package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotFoundException;
import io.notify.client.NotifyClient;
import io.notify.client.TokenSource;
import io.notify.infra.test.TestSocket;
import io.vertx.core.json.JsonObject;

/**
 * Topics (issue 25) through the running suite, two gateways and two notification-service instances: a user subscribes
 * on a socket of one gateway and a topic notification sent the moment the subscription is answered reaches their tabs on
 * both gateways (the change applies to routing with no reconnect); nobody else gets it (a colleague not subscribed,
 * a user of another company subscribed to a topic of the same name there); what was sent before they subscribed is
 * not theirs; an admin subscribes a colleague; after unsubscribing, the topic's notifications neither reach them nor
 * stay in their inbox; a resume replays the subscription changes.
 */
class TopicsSystemTest extends TwoStores.Test {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSubscriptionAppliesAtOnceOnEveryGateway_andOnlySubscribersGetTheTopic() {
        String topic = "project-" + UUID.randomUUID().toString().substring(0, 8);
        String member = api.login(api.newUser(admin, "company_a", "user"), Api.NEW_USER_PASSWORD);
        String memberId = api.userId(member);
        String colleague = api.login(api.newUser(admin, "company_a", "user"), Api.NEW_USER_PASSWORD);
        String colleagueId = api.userId(colleague);
        String stranger = api.login(api.newUser(admin, "company_b", "user"), Api.NEW_USER_PASSWORD);
        api.as(stranger).put("/api/topics/" + topic + "/subscription").then().statusCode(200);

        String before = send("before " + topic, topic);
        try (TestSocket tabA = api.onGateway(0, member); TestSocket tabB = api.onGateway(1, member);
                TestSocket colleagueTab = api.onGateway(1, colleague); TestSocket strangerTab = api.onGateway(0, stranger)) {
            tabA.send("{\"type\":\"subscribe_topic\",\"ref\":\"s1\",\"topic\":\"" + topic + "\"}");
            JsonObject reply = tabA.await(f -> "s1".equals(f.getString("ref")), WAIT);
            assertThat(reply.getString("type")).isEqualTo("subscription_changed");
            assertThat(reply.getBoolean("subscribed")).isTrue();
            // sent the moment the subscription is answered: no reconnect, no wait for the gateways
            String first = send("first " + topic, topic);

            for (TestSocket tab : List.of(tabA, tabB)) {
                JsonObject changed = tab.await(f -> "subscription_changed".equals(f.getString("type"))
                        && f.getLong("seq") != null, WAIT);
                assertThat(changed.getString("topic")).isEqualTo(topic);
                tab.await(f -> Api.notificationTitled(f, first), WAIT);
            }
            String marker = "marker " + topic;
            api.send(admin, Notification.to(Audience.company("company_a")).title(marker).message("m").build());
            colleagueTab.await(f -> Api.notificationTitled(f, marker), WAIT);
            assertThat(colleagueTab.received()).noneMatch(f -> Api.notificationTitled(f, first));
            assertThat(tabA.received()).noneMatch(f -> Api.notificationTitled(f, before));
            assertThat(titles(member)).contains(first).doesNotContain(before);
            assertThat(titles(colleague)).doesNotContain(first);
            assertThat(titles(stranger)).doesNotContain(first, before);

            // an admin of the company subscribes the colleague (with the Java SDK, as a backend would); someone of
            // another company is not theirs to subscribe
            NotifyClient sdk = Api.sdk(api.origin, TokenSource.fixed(admin)).build();
            sdk.subscribe(topic, colleagueId);
            sdk.subscribe(topic, colleagueId); // again: no change
            assertThatThrownBy(() -> sdk.subscribe(topic, api.userId(stranger))).isInstanceOf(NotFoundException.class);
            String second = send("second " + topic, topic);
            colleagueTab.await(f -> Api.notificationTitled(f, second), WAIT);
            assertThat(api.as(admin).get("/api/topics/" + topic + "/subscribers").then().statusCode(200).extract()
                    .jsonPath().getList("items.user_id", String.class)).containsExactlyInAnyOrder(memberId, colleagueId);

            api.as(member).delete("/api/topics/" + topic + "/subscription").then().statusCode(204);
            String third = send("third " + topic, topic);
            colleagueTab.await(f -> Api.notificationTitled(f, third), WAIT);
            tabB.await(f -> "subscription_changed".equals(f.getString("type")) && !f.getBoolean("subscribed"), WAIT);
            // one partition: the colleague got the third after the member's unsubscription was routed on both gateways
            Awaitility.await().atMost(WAIT).until(() -> titles(colleague).contains(third));
            assertThat(tabA.received()).noneMatch(f -> Api.notificationTitled(f, third));
            assertThat(tabB.received()).noneMatch(f -> Api.notificationTitled(f, third));
            assertThat(titles(member)).as("left the topic: its notifications leave the inbox").doesNotContain(first, second, third);

            long from = tabA.received().stream().filter(f -> "subscription_changed".equals(f.getString("type"))
                    && f.getLong("seq") != null).findFirst().orElseThrow().getLong("seq") - 1;
            try (TestSocket later = api.onGateway(1, member)) {
                later.send("{\"type\":\"resume\",\"ref\":\"r1\",\"last_seq\":" + from + "}");
                later.await(f -> "resumed".equals(f.getString("type")) && "r1".equals(f.getString("ref")), WAIT);
                assertThat(later.received().stream().filter(f -> "subscription_changed".equals(f.getString("type")))
                        .map(f -> f.getBoolean("subscribed")).toList()).containsExactly(true, false);
            }
        }
    }

    private String send(String title, String topic) {
        api.send(admin, Notification.to(Audience.topic(topic, "company_a")).title(title).message("m").build());
        return title;
    }

    private List<String> titles(String token) {
        return api.as(token).get("/api/notifications?limit=100").then().statusCode(200).extract().jsonPath()
                .getList("items.title", String.class);
    }
}
