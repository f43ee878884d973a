package io.notify.gateway.endpoint;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static io.notify.infra.test.TestTokens.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Open sockets follow auth-service's {@code user-changes} within seconds, without a reconnect: a disabled user's
 * sockets close and their still-valid token opens no new one; a user moved to another company or given another role
 * gets that company's and role's broadcasts (and no longer the old ones) and an {@code identity_changed} frame.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class AccountChangesTest {

    static final Duration WITHIN = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    final String company = "co_" + UUID.randomUUID().toString().substring(0, 8);
    final String otherCompany = company + "_b";
    final String userId = UUID.randomUUID().toString();
    final String userToken = token(userId, "mover", company, Set.of("user"));

    @BeforeEach
    void eventStreamPositioned() {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aDisabledUsersSockets_closeWithinTwoSeconds_andTheirTokenOpensNoNewOne() throws Exception {
        try (TestSocket first = TestSocket.connect(base, "/api/ws", userToken, HEADER).ready();
                TestSocket second = TestSocket.connect(base, "/api/ws", userToken, HEADER).ready()) {
            long changedAt = System.nanoTime();
            publish(company, List.of("user"), false);
            assertThat(first.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(second.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).isLessThan(WITHIN);
            assertThat(first.closeReason()).isEqualTo(AccountChanges.DISABLED_REASON);
        }
        assertThat(TestSocket.upgradeStatus(base, "/api/ws", userToken, HEADER)).isEqualTo(401);
    }

    @Test
    void aMovedUsersOpenSocket_getsTheNewCompanysBroadcasts_andNoLongerTheOldOnes() {
        try (TestSocket socket = TestSocket.connect(base, "/api/ws", userToken, HEADER).ready()) {
            publish(otherCompany, List.of("user"), true);
            JsonObject changed = socket.await(f -> "identity_changed".equals(f.getString("type")), WITHIN);
            assertThat(changed.getString("company")).isEqualTo(otherCompany);
            Contracts.assertValid("IdentityChangedFrame", changed.encode());

            String old = Events.publish(company, List.of(Events.created(company(company), "Old company", "general",
                    "normal", new JsonObject()))).get(0);
            String fresh = Events.publish(otherCompany, List.of(Events.created(company(otherCompany), "New company",
                    "general", "normal", new JsonObject()))).get(0);
            socket.await(f -> fresh.equals(f.getString("id")), WAIT);
            socket.ready();
            assertThat(socket.received()).noneMatch(f -> old.equals(f.getString("id")));
        }
    }

    @Test
    void aPromotedUsersOpenSocket_getsTheRolesBroadcasts() {
        try (TestSocket socket = TestSocket.connect(base, "/api/ws", userToken, HEADER).ready()) {
            publish(company, List.of("admin", "user"), true);
            socket.await(f -> "identity_changed".equals(f.getString("type")), WITHIN);
            String forAdmins = Events.publish(company, List.of(Events.created(
                    new JsonObject().put("type", "role").put("role", "admin").put("company", company), "Admins only",
                    "general", "normal", new JsonObject()))).get(0);
            socket.await(f -> forAdmins.equals(f.getString("id")), WAIT);
        }
    }

    @Test
    void aSocketOpenedAfterTheChange_withAnOlderToken_isRoutedByTheChange() {
        publish(otherCompany, List.of("user"), true);
        Awaitility.await().atMost(WAIT).until(() -> {
            try (TestSocket socket = TestSocket.connect(base, "/api/ws", userToken, HEADER).ready()) {
                String id = Events.publish(otherCompany, List.of(Events.created(company(otherCompany), "After the move",
                        "general", "normal", new JsonObject()))).get(0);
                socket.await(f -> id.equals(f.getString("id")), Duration.ofSeconds(5));
                return true;
            } catch (AssertionError notYet) {
                return false;
            }
        });
    }

    static JsonObject company(String slug) {
        return new JsonObject().put("type", "company").put("company", slug);
    }

    private void publish(String newCompany, List<String> roles, boolean enabled) {
        try {
            String value = JSON.writeValueAsString(Map.of("event_id", UUID.randomUUID().toString(),
                    "type", enabled ? "user_company_changed" : "user_disabled", "occurred_at", Instant.now().toString(),
                    "user", Map.of("id", userId, "username", "mover", "company", newCompany, "roles", roles,
                            "enabled", enabled)));
            Contracts.assertValid(Contracts.USER_CHANGE, value);
            KafkaRecords.produce(new ProducerRecord<>("user-changes", userId, value.getBytes(StandardCharsets.UTF_8)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
