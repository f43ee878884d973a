package io.notify.gateway.endpoint;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.vertx.core.json.JsonObject;

/**
 * Another user's socket, open while a test abuses the gateway: whatever the abuser does, this
 * client must keep receiving what is addressed to it.
 */
final class Bystander implements AutoCloseable {

    private final String userId = UUID.randomUUID().toString();
    private final TestSocket socket;

    private Bystander(URI base) {
        socket = TestSocket.connect(base, "/api/ws",
                TestTokens.token(userId, "bystander", "co_bystander", Set.of("user")), TestSocket.Carrier.HEADER)
                .ready();
    }

    static Bystander open(URI base) {
        return new Bystander(base);
    }

    /** Publishes a notification to this user and waits until the socket delivers it. */
    void assertStillReceiving() {
        assertStillReceiving(Duration.ofSeconds(20));
    }

    void assertStillReceiving(Duration within) {
        JsonObject audience = new JsonObject().put("type", "user").put("user_ids", List.of(userId));
        String id = Events.publish(userId, List.of(Events.created(audience, "still here", "general", "normal",
                new JsonObject()))).get(0);
        socket.await(f -> id.equals(f.getString("id")), within);
    }

    @Override
    public void close() {
        socket.close();
    }
}
