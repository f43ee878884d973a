package io.notify.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Concurrent sends are stored in shared transactions (SendBatcher): each still gets its own seq, in
 * the order the inbox shows them, and an idempotency key repeated inside one batch stores one row.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class GroupCommitTest {

    final Tenant t = new Tenant();

    @Test
    void concurrentSends_allStored_eachWithItsOwnSeq() throws Exception {
        List<Response> answers = concurrently(64, i -> given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(Tenant.body(t.companyAudience(), "Burst " + i)).post("/api/notifications"));

        assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(201));
        List<Long> seqs = answers.stream().map(r -> r.jsonPath().getLong("seq")).toList();
        assertThat(seqs).doesNotHaveDuplicates();
        JsonPath inbox = Tenant.inbox(t.member, java.util.Map.of("limit", 100));
        List<Long> listed = inbox.getList("items.seq", Long.class);
        assertThat(listed).hasSize(64).containsExactlyInAnyOrderElementsOf(seqs)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void oneIdempotencyKey_sentConcurrently_storesOneNotification() throws Exception {
        String body = Tenant.body(t.companyAudience(), "Once").replace("\"link\"",
                "\"idempotency_key\":\"once-" + t.company + "\",\"link\"");
        List<Response> answers = concurrently(32, i -> given().auth().oauth2(t.admin).contentType(ContentType.JSON)
                .body(body).post("/api/notifications"));

        assertThat(answers.stream().filter(r -> r.statusCode() == 201)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.statusCode() == 200)).hasSize(31);
        assertThat(answers.stream().map(r -> r.jsonPath().getString("id")).distinct()).hasSize(1);
        assertThat(Tenant.titles(t.member)).containsExactly("Once");
    }

    private static List<Response> concurrently(int n, java.util.function.IntFunction<Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.add(() -> call.apply(k));
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
