package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.notify.client.Audience;
import io.notify.client.Notification;
import io.notify.client.NotifyKafkaProducer;
import io.notify.client.QuotaExceededException;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * A company's send quota, set by an admin in auth-service, holds across two notification-service instances: exactly
 * that many sends are accepted in the minute, whichever instance takes them, the rest answered 429 (to the Java SDK:
 * its QuotaExceededException, with the quota and Retry-After); a Kafka burst over it (sent with the SDK's
 * NotifyKafkaProducer) is stored in full in a later minute, nothing lost and nothing twice.
 */
class QuotaSystemTest extends TwoStores.Test {

    static final int QUOTA = 60;

    /**
     * Two companies with a quota of 60, in force from the start of one minute: REST sends to the first, alternating
     * between the two instances, are accepted exactly 60 times in that minute and answered 429 after; a Kafka burst of
     * 75 to the second is stored in full, the part over its quota in the next minute, each request once.
     */
    @Test
    void aCompanyQuotaOf60_holdsAcrossTwoInstances_overRestAndKafka() throws Exception {
        String restCompany = newCompany();
        String kafkaCompany = newCompany();
        String reader = newUser(kafkaCompany);
        long deferredBefore = deferred(kafkaCompany);
        int minute = quotasInForceEarlyInAMinute(restCompany, kafkaCompany); // one of each minute's 60 taken

        String run = UUID.randomUUID().toString().substring(0, 8);
        int burst = QUOTA + 15;
        try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            NotifyKafkaProducer requests = new NotifyKafkaProducer(kafka);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                sent.add(requests.send(Notification.to(Audience.company(kafkaCompany)).title("Burst " + run + " #" + i)
                        .message("m").build()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        }

        int accepted = 1;
        int refused = 0;
        for (int i = 0; i < QUOTA + 20; i++) {
            int status = send(stores().get(i % 2), restCompany);
            assertThat(status).isIn(201, 429);
            if (status == 201) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(LocalTime.now().getMinute()).as("all sends fell in one window").isEqualTo(minute);
        assertThat(accepted).isEqualTo(QUOTA);
        assertThat(refused).isEqualTo(21);

        // 59 of the burst at once, the rest when the next window opens
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(burstTitles(reader, run)).hasSize(burst));
        assertThat(burstTitles(reader, run)).doesNotHaveDuplicates();
        assertThat(deferred(kafkaCompany) - deferredBefore).as("requests kept for a later minute; the stores' company meters: %s",
                companyMeters(kafkaCompany)).isGreaterThanOrEqualTo(burst - (QUOTA - 1));
    }

    /**
     * Sets the companies' quotas to 0 until a send to each is refused, waits for the first 20 seconds of the next
     * minute (sends accepted before the 0 applied counted in this one; the sends that follow must fall in one window:
     * windows are whole minutes), then sets them to {@link #QUOTA} until a send to each (on the second instance) is
     * accepted. Answers the minute.
     */
    static int quotasInForceEarlyInAMinute(String... companies) {
        for (String company : companies) {
            setQuota(company, 0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> send(stores().get(0), company) == 429);
        }
        int counted = LocalTime.now().getMinute();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> LocalTime.now().getMinute() != counted && LocalTime.now().getSecond() < 20);
        int minute = LocalTime.now().getMinute();
        for (String company : companies) {
            setQuota(company, QUOTA);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> send(stores().get(1), company) == 201);
        }
        return minute;
    }

    /** notify_company_sends_deferred_total of the company, summed over both instances. */
    static long deferred(String company) {
        long sum = 0;
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "^notify_company_sends_deferred_total\\{[^}]*company=\"" + company + "\"[^}]*} ([0-9.eE+]+)", // an exemplar may follow
                java.util.regex.Pattern.MULTILINE);
        for (String store : stores()) {
            String metrics = RestAssured.given().baseUri(store).get("/q/metrics").then().statusCode(200).extract().asString();
            java.util.regex.Matcher m = line.matcher(metrics);
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    static List<String> companyMeters(String company) {
        List<String> lines = new ArrayList<>();
        for (String store : stores()) {
            String metrics = RestAssured.given().baseUri(store).get("/q/metrics").then().statusCode(200).extract().asString();
            metrics.lines().filter(l -> l.contains(company)).map(l -> store + " " + l).forEach(lines::add);
        }
        return lines;
    }

    static String newCompany() {
        String slug = "quota_" + UUID.randomUUID().toString().substring(0, 8);
        api.post(admin, "/api/auth/companies", Map.of("slug", slug, "name", "Quota " + slug)).statusCode(201);
        return slug;
    }

    static String newUser(String company) {
        return api.login(api.newUser(admin, company, "user"), Api.NEW_USER_PASSWORD);
    }

    static void setQuota(String company, int perMinute) {
        api.as(admin).contentType(ContentType.JSON).body(Map.of("per_minute", perMinute))
                .put("/api/auth/companies/" + company + "/send-quota").then().statusCode(200);
    }

    /**
     * One send to the company through the SDK, straight to {@code store}; answers 201, or 429 when the SDK threw its
     * typed quota refusal, which must name the company's quota and when its window ends.
     */
    static int send(String store, String company) {
        try {
            Api.send(URI.create(store), admin, Notification.to(Audience.company(company))
                    .title("Quota " + UUID.randomUUID()).message("m").build());
            return 201;
        } catch (QuotaExceededException refused) {
            assertThat(refused.quota()).isEqualTo("company");
            assertThat(refused.extensions()).containsEntry("quota_key", company);
            assertThat(refused.retryAfter()).as("Retry-After: until the minute's window ends")
                    .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
            return 429;
        }
    }

    static List<String> burstTitles(String token, String run) {
        List<String> titles = new ArrayList<>();
        String cursor = null;
        do {
            var request = api.as(token).queryParam("limit", 200);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/notifications").then().statusCode(200).extract().jsonPath();
            page.getList("items.title", String.class).stream().filter(t -> t.startsWith("Burst " + run)).forEach(titles::add);
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return titles;
    }
}
