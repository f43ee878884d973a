package io.notify.notification.outbox;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The relay starts its producer (broker connection, producer id, the events topic's partitions) and its connection
 * when the service starts, not with the first event: the first events after a start or a rollout are not held back
 * while the relay connects.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class RelayStartTest {

    @Inject
    OutboxRelay relay;

    @Test
    void theRelaysProducerIsUpAndKnowsTheEventsTopicBeforeAnyEvent() {
        await().atMost(Duration.ofSeconds(30)).until(relay::started);
    }
}
