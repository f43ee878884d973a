package io.notify.notification.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka intake's ordering and acknowledgement around the send writer ({@link OrderedStores}), with the writer
 * played by futures the test completes: a record is acknowledged only once stored, the consumer goes on meanwhile,
 * and stores that failed are stored again in their order before anything later is queued.
 */
class OrderedStoresTest {

    final Map<String, CompletableFuture<Object>> queued = new ConcurrentHashMap<>();
    final List<String> submitted = new CopyOnWriteArrayList<>();
    final List<String> storedAgain = new CopyOnWriteArrayList<>();
    final List<String> acked = new CopyOnWriteArrayList<>();
    /** Holds the stores made again until counted down (the database still away). */
    final CountDownLatch databaseBack = new CountDownLatch(1);
    boolean writerFull;

    final OrderedStores<String> stores = new OrderedStores<>(request -> {
        if (writerFull) {
            throw new SendBatcher.Busy();
        }
        submitted.add(request);
        CompletableFuture<Object> stored = new CompletableFuture<>();
        queued.put(request, stored);
        return stored;
    }, request -> {
        try {
            assertThat(databaseBack.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        storedAgain.add(request);
    });

    @AfterEach
    void stop() {
        stores.stop();
    }

    Message<String> record(String request) {
        return Message.of(request).withAck(() -> {
            acked.add(request);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Test
    void aRecordIsAckedOnceStored_andTheNextIsQueuedWithoutWaitingForIt() {
        for (String request : List.of("a", "b", "c")) {
            stores.queue(request, record(request), null);
        }
        assertThat(submitted).containsExactly("a", "b", "c");
        assertThat(acked).isEmpty();

        queued.get("b").complete("stored");
        assertThat(acked).containsExactly("b");
        queued.get("a").complete("stored");
        queued.get("c").complete("stored");
        assertThat(acked).containsExactly("b", "a", "c");
        assertThat(storedAgain).isEmpty();
    }

    @Test
    void storesThatFailed_areStoredAgainInTheirOrder_beforeAnyLaterRecordIsQueued() throws Exception {
        for (String request : List.of("a", "b", "c")) {
            stores.queue(request, record(request), null);
        }
        queued.get("a").complete("stored");
        queued.get("b").completeExceptionally(new IllegalStateException("database away"));
        queued.get("c").completeExceptionally(new IllegalStateException("database away"));

        CompletableFuture<Void> later = CompletableFuture.runAsync(() -> stores.queue("d", record("d"), null));
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !later.isDone() && !submitted.contains("d"));
        assertThat(acked).containsExactly("a");

        databaseBack.countDown();
        later.get(30, TimeUnit.SECONDS);
        assertThat(storedAgain).containsExactly("b", "c");
        assertThat(submitted).containsExactly("a", "b", "c", "d");
        assertThat(acked).containsExactly("a", "b", "c");
        queued.get("d").complete("stored");
        assertThat(acked).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aFullWriterQueue_storesTheRequestBeforeTheConsumerGoesOn() {
        databaseBack.countDown();
        writerFull = true;
        stores.queue("a", record("a"), null);
        assertThat(storedAgain).containsExactly("a");
        assertThat(acked).containsExactly("a");
    }
}
