package io.notify.systemtests;

import static io.notify.infra.test.TestSocket.Carrier.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotifyClient;
import io.notify.client.NotifyKafkaProducer;
import io.notify.client.Priority;
import io.notify.client.SentNotification;
import io.notify.client.ValidationException;
import io.notify.infra.launch.Suite;
import io.notify.infra.test.TestSocket;

/**
 * The Java producer SDK (notify-client) against the running suite, through its one origin: a service account's
 * REST send reaches the recipient's socket and inbox, a Kafka send is stored, a send retried after a lost answer is
 * stored once, a 400 arrives as a typed {@link ValidationException}, and the post-deploy smoke command passes (and
 * fails with a non-zero exit on a wrong password).
 */
@ExtendWith(SuiteExtension.class)
class SdkSystemTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CLIENT_ID = "billing-service"; // the seeded service account of company_a
    static final String CLIENT_SECRET = "billing-secret-change-me";

    static Suite suite;
    static Api api;
    static String recipient;
    static String recipientToken;
    static String recipientId;

    @BeforeAll
    static void suite(Suite running) {
        suite = running;
        api = new Api(running);
        recipient = api.newUser(api.login("admin", "wkwkwk"), "company_a", "user");
        recipientToken = api.login(recipient, Api.NEW_USER_PASSWORD);
        recipientId = api.userId(recipientToken);
    }

    static NotifyClient client(URI base) {
        return NotifyClient.builder(base).clientCredentials(CLIENT_ID, CLIENT_SECRET).build();
    }

    static List<Map<String, Object>> inbox(String title) {
        return api.as(recipientToken).queryParam("limit", 100).get("/api/notifications").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(n -> title.equals(n.get("title"))).toList();
    }

    @Test
    void restSend_withClientCredentials_reachesTheSocketAndTheInbox() {
        String title = "Invoice approved " + UUID.randomUUID();
        try (TestSocket socket = api.socket(recipientToken, HEADER)) {
            SentNotification sent = client(api.origin).send(Notification.to(Audience.user(recipientId)).title(title)
                    .message("INV-1001 was approved").type("approval").priority(Priority.HIGH)
                    .data("invoice", "INV-1001").link("/invoices/1001").build());

            assertThat(sent.created()).isTrue();
            assertThat(sent.sender()).isNotBlank();
            socket.await(f -> Api.notificationTitled(f, title)
                    && sent.id().toString().equals(f.getJsonObject("payload").getString("id")), WAIT);
            assertThat(inbox(title)).singleElement().satisfies(n -> {
                assertThat(n).containsEntry("priority", "high").containsEntry("link", "/invoices/1001")
                        .containsEntry("read", false);
                assertThat(n.get("data")).isEqualTo(Map.of("invoice", "INV-1001"));
            });
        }
    }

    @Test
    void kafkaSend_isStored_once_evenWhenTheSameRequestIsProducedTwice() throws Exception {
        String title = "From Kafka " + UUID.randomUUID();
        Notification notification = Notification.to(Audience.user(recipientId)).title(title).message("m")
                .type("approval").idempotencyKey("sdk-kafka-" + UUID.randomUUID()).build();
        try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            NotifyKafkaProducer producer = new NotifyKafkaProducer(kafka);
            producer.send(notification).get();
            producer.send(notification).get(); // a producer's own retry after a timeout: the same key
        }

        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(title)).hasSize(1));
        // the second record is behind the first on the same partition (same key): once it is consumed too, still one
        String marker = "After Kafka " + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap()), new StringSerializer(),
                new ByteArraySerializer())) {
            new NotifyKafkaProducer(kafka).send(Notification.to(Audience.user(recipientId)).title(marker).message("m")
                    .build()).get();
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(inbox(marker)).hasSize(1));
        assertThat(inbox(title)).hasSize(1);
    }

    /**
     * The first answer is lost on the way back (a proxy in front of the origin forwards the send, then answers 503):
     * the client retries with the key it made for that send, and the store answers the notification it already has.
     */
    @Test
    void aSendWhoseAnswerWasLost_isRetriedWithTheSameKey_andStoredOnce() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        AtomicInteger forwardedSends = new AtomicInteger();
        HttpServer lossy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        lossy.createContext("/", exchange -> {
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward = HttpRequest.newBuilder(api.origin.resolve(exchange.getRequestURI()))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                for (String header : List.of("Authorization", "Content-Type", "Accept")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        forward.header(header, value);
                    }
                }
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                boolean lose = exchange.getRequestURI().getPath().equals("/api/notifications")
                        && forwardedSends.incrementAndGet() == 1;
                byte[] out = lose ? "{\"status\":503,\"title\":\"Service Unavailable\"}".getBytes(StandardCharsets.UTF_8)
                        : answer.body();
                exchange.getResponseHeaders().add("Content-Type",
                        lose ? "application/problem+json" : answer.headers().firstValue("Content-Type").orElse("application/json"));
                exchange.sendResponseHeaders(lose ? 503 : answer.statusCode(), out.length == 0 ? -1 : out.length);
                exchange.getResponseBody().write(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        lossy.start();
        try {
            String title = "Retried " + UUID.randomUUID();
            SentNotification sent = client(URI.create("http://127.0.0.1:" + lossy.getAddress().getPort()))
                    .send(Notification.to(Audience.user(recipientId)).title(title).message("m").build());

            assertThat(forwardedSends).hasValue(2);
            assertThat(sent.created()).as("the retry found the first attempt's notification").isFalse();
            assertThat(inbox(title)).singleElement().satisfies(n -> assertThat(n.get("id")).isEqualTo(sent.id().toString()));
        } finally {
            lossy.stop(0);
        }
    }

    @Test
    void anInvalidRequest_isAValidationException_namingTheField() {
        // the record's constructor skips the builder's checks: what the service answers for them
        Notification invalid = new Notification(Audience.user(recipientId), "t", "m", "Not_Snake", null,
                Map.of("k", "nul\0inside"), null, null, null);

        assertThatThrownBy(() -> client(api.origin).send(invalid)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.violations()).extracting(ValidationException.Violation::field).contains("type");
            assertThat(e.violations()).allSatisfy(v -> assertThat(v.in()).isEqualTo("body"));
        });
    }

    /** The executable jar as an operator runs it (the password from the environment, as the Job passes it). */
    @Test
    void smokeCommand_passesAgainstTheOneOrigin_andFailsNonZeroOnAWrongPassword() throws Exception {
        Smoked passed = smoke(Api.NEW_USER_PASSWORD);

        assertThat(passed.exitCode()).as("exit code; output:%n%s", passed.output()).isZero();
        assertThat(passed.output()).containsPattern("ok +login +\\d+ ms").containsPattern("ok +open socket +\\d+ ms")
                .containsPattern("ok +send +\\d+ ms").containsPattern("ok +receive on socket +\\d+ ms")
                .containsPattern("ok +mark read +\\d+ ms").contains("smoke passed");
        List<Map<String, Object>> smoke = api.as(recipientToken).get("/api/notifications?type=smoke_test").then()
                .statusCode(200).extract().jsonPath().getList("items");
        assertThat(smoke).as("the smoke notification, sent to itself and marked read on the socket").singleElement()
                .satisfies(n -> assertThat(n).containsEntry("read", true));

        Smoked failed = smoke("not-the-password");

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.output()).contains("FAIL login: 401").doesNotContain("ok ");
    }

    record Smoked(int exitCode, String output) {
    }

    static Smoked smoke(String password) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("notify.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = repo.resolve("notify-client/target/notify-client.jar");
        assertThat(jar).as("built by notify-client's package phase").exists();
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "smoke", "--url", api.origin.toString(), "--username", recipient)
                .redirectErrorStream(true);
        command.environment().put("NOTIFY_SMOKE_PASSWORD", password);
        Process process = command.start();
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the smoke command ended").isTrue();
            return new Smoked(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
