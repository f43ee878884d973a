package io.notify.gateway;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.notify.gateway.client.StoreStandIn;
import io.notify.infra.contract.Contracts;
import io.notify.infra.test.KafkaRecords;
import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.TestSocket;
import io.notify.infra.test.TestTokens;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.inject.spi.Bean;

/**
 * The gateway speaks the WebSocket protocol of {@code contracts/asyncapi.yaml} (channel {@code socket}):
 * every frame it writes on a real socket is valid against the schema of its {@code type}, every frame
 * type the contract lists for {@code sendSocketFrame} is seen, and every client sample under
 * {@code contracts/samples/socket/client} is answered with its reply, not an {@code error}.
 *
 * <p>Black-box on purpose (no gateway class is named), so it survives the gateway's packages moving:
 * notification-service is replaced by a stub HTTP store whose answers are built from the contract's own
 * samples (the Kafka event samples for {@code resume}, the reply samples' bodies for the other actions).
 * The {@code ack} sample, which has no reply when accepted, acknowledges what {@code resume} replayed.
 * The one frame a running socket cannot be made to receive here, {@code reconnect} (written only while
 * the gateway shuts down), is encoded by whichever bean has a {@code reconnect(long)} method returning
 * the frame's text.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SocketProtocolContractTest.StubStore.class, restrictToAnnotatedClass = true)
class SocketProtocolContractTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    /** {@code resume} with this seq is answered {@code resync} by the stub store. */
    static final long TOO_OLD = 999_999;
    /** {@code mark_read} of these ids is answered 404 and 500 by the stub store. */
    static final String MISSING_ID = "00000000-0000-4000-8000-000000000404";
    static final String FAILING_ID = "00000000-0000-4000-8000-000000000500";
    /** {@code complete_action} of this action is answered 409 (another action was completed before). */
    static final String OTHER_ACTION = "reject";

    @TestHTTPResource("/")
    URI base;

    final String userId = UUID.randomUUID().toString();
    final String company = "co_" + userId.substring(0, 8);
    final String token = TestTokens.token(userId, "member", company, Set.of("user"));

    @Test
    void everyFrameTheGatewaySends_isValidAgainstTheContract_andEveryServerFrameTypeIsSent() throws Exception {
        Map<String, String> serverFrames = frameMessages("sendSocketFrame");
        List<JsonObject> received = new ArrayList<>();
        try (TestSocket socket = TestSocket.connect(base, "/api/ws", token, HEADER).ready()) {
            JsonNode ack = null;
            for (Path sample : samples("client")) {
                JsonNode frame = clientFrame(sample);
                if ("ack".equals(frame.path("type").asText())) {
                    ack = frame; // acknowledges what resume replays: sent once resumed
                    continue;
                }
                socket.send(frame.toString());
                JsonObject reply = socket.await(f -> sameRef(f, frame.get("ref")), WAIT);
                assertThat(reply.getString("type")).as("the reply to %s: %s", sample.getFileName(), reply.encode())
                        .isNotEqualTo("error");
            }
            // the store-backed pushes, replayed as live delivery writes them (resume sample: last_seq 41)
            socket.await(f -> "resumed".equals(f.getString("type")), WAIT);
            // an accepted ack has no reply: the pong to the next ping comes first, and no error before it
            socket.send(ack.toString());
            socket.ready();
            assertThat(socket.received()).as("frames after an ack of replayed notifications")
                    .noneMatch(f -> "error".equals(f.getString("type")));
            socket.send("{\"type\":\"resume\",\"ref\":\"too-old\",\"last_seq\":" + TOO_OLD + "}");
            socket.await(f -> "resync".equals(f.getString("type")), WAIT);

            // errors: the gateway's own, and the store's answers
            socket.send("{not json");
            socket.await(f -> "malformed_json".equals(f.getString("code")), WAIT);
            socket.send("[1,2]");
            socket.await(f -> "invalid_frame".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"launch_rockets\",\"ref\":{\"any\":[\"json\"]}}");
            socket.await(f -> "unknown_type".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"mark_read\",\"ref\":\"bad-id\",\"notification_id\":\"not-an-id\"}");
            socket.await(f -> "invalid_request".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"refresh_token\",\"ref\":\"bad-token\",\"token\":\"not-a-token\"}");
            socket.await(f -> "invalid_token".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"mark_read\",\"ref\":\"missing\",\"notification_id\":\"" + MISSING_ID + "\"}");
            socket.await(f -> "not_found".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"clicked\",\"ref\":\"missing-click\",\"id\":\"" + MISSING_ID + "\"}");
            socket.await(f -> "missing-click".equals(f.getString("ref")) && "not_found".equals(f.getString("code")), WAIT);
            socket.send(ack.toString()); // acknowledged already
            socket.await(f -> !f.containsKey("ref") && "not_found".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"ack\",\"ref\":\"bad-ack\",\"ids\":[\"not-an-id\"]}");
            socket.await(f -> "bad-ack".equals(f.getString("ref")) && "invalid_request".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"complete_action\",\"ref\":\"other\",\"notification_id\":\"" + MISSING_ID.replace("404", "409")
                    + "\",\"action_id\":\"" + OTHER_ACTION + "\"}");
            socket.await(f -> "other".equals(f.getString("ref")) && "conflict".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"complete_action\",\"ref\":\"bad-action\",\"notification_id\":\"" + MISSING_ID.replace("404", "409")
                    + "\",\"action_id\":\"no spaces\"}");
            socket.await(f -> "bad-action".equals(f.getString("ref")) && "invalid_request".equals(f.getString("code")), WAIT);
            socket.send("{\"type\":\"mark_read\",\"ref\":\"failing\",\"notification_id\":\"" + FAILING_ID + "\"}");
            socket.await(f -> "unavailable".equals(f.getString("code")), WAIT);
            // an admin moves the user to another company (auth-service's user-changes)
            ObjectNode sampleChange = (ObjectNode) JSON.readTree(Contracts.sample("user-changes-user_company_changed.json"));
            sampleChange.put("occurred_at", java.time.Instant.now().toString()); // a change older than the look-back is history
            ((ObjectNode) sampleChange.get("user")).put("id", userId);
            String change = sampleChange.toString();
            KafkaRecords.produce(new ProducerRecord<>("user-changes", userId, change.getBytes(StandardCharsets.UTF_8)));
            socket.await(f -> "identity_changed".equals(f.getString("type")), WAIT);
            socket.send("{\"type\":\"mark_read\",\"ref\":\"moved\",\"notification_id\":\"" + MISSING_ID + "\"}");
            socket.await(f -> "moved".equals(f.getString("ref")), WAIT);
            socket.ready();
            received.addAll(socket.received());
        }

        // every store call of a socket action: the gateway's own token, acting for the socket's user as it is now
        assertThat(StubStore.ACTIONS).isNotEmpty()
                .allSatisfy(a -> assertThat(a).startsWith("Bearer " + StubStore.GATEWAY_TOKEN + " acting for {"));
        List<JsonNode> actingFor = new ArrayList<>();
        for (String action : StubStore.ACTIONS) {
            actingFor.add(JSON.readTree(action.substring(action.indexOf(" acting for ") + " acting for ".length())));
        }
        JsonNode tokenClaims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(actingFor).allSatisfy(claims -> {
            assertThat(claims.path("sub").asText()).isEqualTo(userId);
            assertThat(claims.path("upn").asText()).isEqualTo("member");
            assertThat(claims.path("groups")).containsExactly(JSON.getNodeFactory().textNode("user"));
        });
        // the socket's token, until the refresh_token sample gave it a fresh one
        assertThat(actingFor.get(0).path("iat").asLong()).isEqualTo(tokenClaims.path("iat").asLong());
        assertThat(actingFor.get(0).path("exp").asLong()).isEqualTo(tokenClaims.path("exp").asLong());
        assertThat(actingFor.get(0).path("company").asText()).isEqualTo(company);
        assertThat(actingFor.get(actingFor.size() - 1).path("company").asText())
                .isEqualTo(JSON.readTree(Contracts.sample("user-changes-user_company_changed.json")).path("user").path("company").asText());

        Set<String> seen = new TreeSet<>();
        List<String> invalid = new ArrayList<>();
        for (JsonObject frame : received) {
            String type = frame.getString("type");
            String message = serverFrames.get(type);
            if (message == null) {
                invalid.add("a frame of type " + type + ", which sendSocketFrame does not list: " + frame.encode());
                continue;
            }
            seen.add(type);
            Contracts.validate(message, frame.encode()).forEach(e -> invalid.add(type + ": " + e + " in " + frame.encode()));
        }
        String reconnect = reconnectFrame(12_345);
        seen.add(JSON.readTree(reconnect).path("type").asText());
        Contracts.validate(serverFrames.get("reconnect"), reconnect).forEach(e -> invalid.add("reconnect: " + e));

        assertThat(invalid).as("frames the contract does not describe").isEmpty();
        assertThat(seen).as("server frame types sent").isEqualTo(serverFrames.keySet());
        assertThat(received).as("pushes carry a seq, replies a ref, never both")
                .noneMatch(f -> f.containsKey("seq") && f.containsKey("ref"));
    }

    @Test
    void everyClientSample_isValid_andEveryClientFrameTypeHasOne() {
        Map<String, String> clientFrames = frameMessages("receiveSocketFrame");
        Set<String> sampled = new TreeSet<>();
        for (Path sample : samples("client")) {
            JsonNode frame = read(sample);
            String type = frame.path("type").asText();
            assertThat(clientFrames).as("client frame types in the contract").containsKey(type);
            Contracts.assertValid(clientFrames.get(type), frame.toString());
            sampled.add(type);
        }
        assertThat(sampled).isEqualTo(clientFrames.keySet());
        for (Path sample : samples("server")) {
            JsonNode frame = read(sample);
            String message = frameMessages("sendSocketFrame").get(frame.path("type").asText());
            assertThat(message).as("message of %s", sample.getFileName()).isNotNull();
            Contracts.assertValid(message, frame.toString());
        }
    }

    // ------------------------------------------------------------------ the contract

    /**
     * Frame type → message name (a key of {@code components.messages}) for the messages of one operation
     * on the {@code socket} channel; each channel message is keyed by the {@code type} its schema fixes.
     */
    static Map<String, String> frameMessages(String operation) {
        JsonNode doc = Contracts.document();
        Map<String, String> byType = new LinkedHashMap<>();
        for (JsonNode ref : doc.at("/operations/" + operation + "/messages")) {
            String channelMessage = ref.path("$ref").asText();
            String type = channelMessage.substring(channelMessage.lastIndexOf('/') + 1);
            String component = doc.at(channelMessage.substring(1)).path("$ref").asText();
            String name = component.substring(component.lastIndexOf('/') + 1);
            String schema = doc.at("/components/messages/" + name + "/payload/$ref").asText();
            assertThat(doc.at(schema.substring(1) + "/properties/type/const").asText())
                    .as("the type fixed by %s", schema).isEqualTo(type);
            byType.put(type, name);
        }
        assertThat(byType).as("messages of operation %s", operation).isNotEmpty();
        return byType;
    }

    static List<Path> samples(String direction) {
        try (Stream<Path> files = Files.list(Contracts.samplesDir().resolve("socket").resolve(direction))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path sample) {
        try {
            return JSON.readTree(Files.readString(sample, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample as sent; {@code refresh_token} gets a fresh valid token of the same user instead of the sample's. */
    JsonNode clientFrame(Path sample) {
        ObjectNode frame = (ObjectNode) read(sample);
        if ("refresh_token".equals(frame.path("type").asText())) {
            frame.put("token", TestTokens.token(userId, "member", company, Set.of("user")));
        }
        return frame;
    }

    static boolean sameRef(JsonObject frame, JsonNode ref) {
        if (!frame.containsKey("ref")) {
            return false;
        }
        try {
            return JSON.readTree(frame.encode()).get("ref").equals(ref);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code reconnect} is written only while the gateway shuts down: it is encoded here by the bean that
     * has a {@code reconnect(long)} method answering the frame's text, whatever its class and package.
     */
    static String reconnectFrame(long delayMs) throws Exception {
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class)) {
            Class<?> type = bean.getBeanClass();
            if (!type.getName().startsWith("io.notify.gateway")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals("reconnect") && method.getReturnType() == String.class
                        && method.getParameterCount() == 1 && method.getParameterTypes()[0] == long.class) {
                    try (InstanceHandle<?> encoder = Arc.container().instance(type)) {
                        method.setAccessible(true);
                        return (String) method.invoke(encoder.get(), delayMs);
                    }
                }
            }
        }
        throw new AssertionError("No gateway bean has String reconnect(long): where is the reconnect frame encoded now?"
                + " Point reconnectFrame() at it, so the contract test still covers that frame.");
    }

    // ------------------------------------------------------------------ the stub store

    /**
     * notification-service as far as the socket's actions reach it, answering from the contract's samples.
     * Started before the application, which is pointed at it.
     */
    public static class StubStore implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;
        static final String GATEWAY_TOKEN = TestTokens.gatewayToken();
        /** The {@code Authorization} and {@code Notify-Acting-For} of each socket action's call. */
        static final List<String> ACTIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", StubStore::answer);
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            // it is auth-service's token endpoint too: the gateway calls the store with its own token
            return Map.of("notify.gateway.store-url", base, "notify.gateway.auth-url", base,
                    "quarkus.oidc-client.credentials.secret", "stub-secret");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }

        private static void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getPath();
                String query = String.valueOf(exchange.getRequestURI().getRawQuery());
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (path.equals("/api/auth/token")) {
                    send(exchange, 200, "{\"access_token\":\"" + GATEWAY_TOKEN + "\",\"token_type\":\"bearer\",\"expires_in\":900}");
                    return;
                }
                if (!path.equals("/api/notifications/preferences/muted")) {
                    ACTIONS.add(exchange.getRequestHeaders().getFirst("Authorization") + " acting for "
                            + exchange.getRequestHeaders().getFirst("Notify-Acting-For"));
                }
                if (path.contains("/" + MISSING_ID + "/")) {
                    send(exchange, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No such notification\"}");
                } else if (path.endsWith("/" + FAILING_ID + "/read")) {
                    send(exchange, 500, "");
                } else if (method.equals("POST") && path.equals("/api/notifications/preferences/muted")) {
                    send(exchange, 200, StoreStandIn.nothingMuted(body));
                } else if (method.equals("GET") && path.equals("/api/notifications/resume")) {
                    send(exchange, 200, query.contains("after=" + TOO_OLD) ? resync() : resumeAnswer());
                } else if (method.equals("GET") && path.equals("/api/notifications/unread-count")) {
                    send(exchange, 200, replyBody("unread_count.json").toString());
                } else if (method.equals("GET") && path.equals("/api/notifications")) {
                    send(exchange, 200, replyBody("notifications.json").toString());
                } else if (method.equals("POST") && path.equals("/api/notifications/read-all")) {
                    send(exchange, 200, replyBody("all_read-reply.json").toString());
                } else if (method.equals("POST") && path.equals("/api/notifications/seen")) {
                    send(exchange, 200, replyBody("all_seen-reply.json").toString());
                } else if (method.equals("POST") && path.contains("/actions/")) {
                    ObjectNode reply = replyBody("action_completed-reply.json");
                    reply.remove("notification_id");
                    send(exchange, path.endsWith("/" + OTHER_ACTION) ? 409 : 200, path.endsWith("/" + OTHER_ACTION)
                            ? "{\"title\":\"Already completed\",\"status\":409,\"detail\":\"You completed approve already\"}"
                            : reply.toString());
                } else if (method.equals("POST") && path.equals("/api/notifications")) {
                    send(exchange, 201, replyBody("sent.json").get("notification").toString());
                } else if (method.equals("PUT") && path.matches("/api/topics/[^/]+/subscription")) {
                    send(exchange, 200, "{\"topic\":\"project-42\",\"company\":\"company_a\",\"user_id\":\"u\","
                            + "\"since_seq\":1042,\"subscribed_at\":\"2026-12-06T09:00:00Z\"}");
                } else if ((method.equals("POST") && (path.endsWith("/read") || path.endsWith("/clicked")
                        || path.endsWith("/archive") || path.endsWith("/unarchive") || path.endsWith("/snooze")
                        || path.endsWith("/unsnooze")))
                        || method.equals("DELETE")) {
                    send(exchange, 204, "");
                } else {
                    send(exchange, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"stub: " + method + " " + path + "\"}");
                }
            }
        }

        /** A reply sample without what the gateway adds ({@code type}, {@code ref}): the store's body. */
        private static ObjectNode replyBody(String sample) {
            ObjectNode body = (ObjectNode) read(Contracts.samplesDir().resolve("socket/server/" + sample));
            body.remove(List.of("type", "ref"));
            return body;
        }

        /** Every Kafka event sample, as notification-service answers a resume. */
        private static String resumeAnswer() {
            ObjectNode answer = JSON.createObjectNode().put("status", "ok");
            ArrayNode events = answer.putArray("events");
            long last = 0;
            for (String kind : List.of("created", "read", "all_read", "deleted", "preferences_updated", "all_seen", "archived",
                    "unarchived", "snoozed", "unsnoozed", "resurfaced", "action_completed", "subscription_changed")) {
                JsonNode event = read(Contracts.samplesDir().resolve("notification-event-" + kind + ".json"));
                events.add(event);
                last = Math.max(last, event.path("seq").asLong());
            }
            // and the other notifications the ack sample acknowledges, so that all its ids were pushed
            ObjectNode created = (ObjectNode) events.get(0);
            for (JsonNode id : read(Contracts.samplesDir().resolve("socket/client/ack.json")).path("ids")) {
                if (!id.equals(created.at("/notification/id"))) {
                    ObjectNode another = created.deepCopy().put("event_id", UUID.randomUUID().toString());
                    ((ObjectNode) another.get("notification")).set("id", id);
                    events.insert(1, another);
                }
            }
            return answer.put("last_seq", last).toString();
        }

        private static String resync() {
            return "{\"status\":\"resync\",\"events\":[],\"last_seq\":1046,\"reason\":\"more than 500 changes since seq "
                    + TOO_OLD + "\"}";
        }

        private static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (!body.isEmpty()) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }
}
