package io.notify.notification.send;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.notify.notification.FakeDirectory;
import io.notify.infra.test.KafkaRecords;
import io.notify.notification.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A send batch's created events are written by the statement that draws their seqs: it sets both seq fields (the
 * event's own and its notification's) of the JSON the writer built, by their paths. What senders write, even fields
 * named {@code seq} or text that looks like JSON with a seq in it, can neither move nor take the drawn seq.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class CreatedEventSeqsTest {

    private static final String TRAP = "\\\"seq\\\":" + Long.MIN_VALUE + ",";
    private final ObjectMapper json = new ObjectMapper();
    private final Tenant t = new Tenant();

    @BeforeEach
    void directory() {
        FakeDirectory.install();
    }

    @Test
    void theEventCarriesTheDrawnSeqInBothFields_evenWhenSendersWriteSeqsIntoRecipientsTitleAndData() throws Exception {
        String body = "{\"audience\":{\"type\":\"users\",\"user_ids\":[\"" + t.memberId + "\",\"" + t.member2Id
                + "\"]},\"title\":\"" + TRAP + "\",\"message\":\"" + TRAP + "\",\"type\":\"info\",\"data\":{\"seq\":"
                + Long.MIN_VALUE + ",\"" + TRAP + "\":\"" + TRAP + "\"}}";
        JsonNode answer = json.readTree(given().auth().oauth2(t.admin).contentType(ContentType.JSON).body(body)
                .post("/api/notifications").then().statusCode(201).extract().asString());
        String id = answer.get("id").asText();
        long seq = answer.get("seq").asLong();

        ConsumerRecord<String, byte[]> record = KafkaRecords.awaitRecord("notification-events",
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(id));
        JsonNode event = json.readTree(new String(record.value(), StandardCharsets.UTF_8));

        assertThat(seq).isPositive();
        assertThat(event.get("seq").asLong()).isEqualTo(seq);
        assertThat(event.at("/notification/seq").asLong()).isEqualTo(seq);
        assertThat(event.at("/notification/data/seq").asLong()).as("the sender's own").isEqualTo(Long.MIN_VALUE);
        String trap = TRAP.replace("\\\"", "\"");
        assertThat(event.at("/notification/title").asText()).isEqualTo(trap);
        assertThat(event.at("/notification/data").get(trap).asText()).isEqualTo(trap);
        assertThat(json.convertValue(event.at("/audience/user_ids"), List.class)).containsExactly(t.memberId, t.member2Id);
        // everything else as the sender was answered (who the event addresses aside)
        for (String field : List.of("id", "title", "message", "type", "priority", "data", "link", "sender", "created_at",
                "expires_at")) {
            assertThat(event.get("notification").get(field)).as(field).isEqualTo(answer.get(field));
        }
        assertThat(json.convertValue(event.get("notification"), Map.class)).doesNotContainKey("read");
    }
}
