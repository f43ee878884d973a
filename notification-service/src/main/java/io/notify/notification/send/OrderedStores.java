package io.notify.notification.send;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The Kafka intake's granted requests on their way to the send writer ({@link NotificationRequestConsumer}): each
 * queued in the order the consumer reads it, its record acknowledged once it is committed, so the consumer goes on
 * to the next record without waiting for this one's commit and a partition's records share group commits.
 *
 * <p>
 * A queued request whose store fails (the database away: its whole batch fails, then each send alone) is stored again
 * with {@link SendPipeline#storeDurably}, which tries for as long as it takes, on one thread, in the order the failures
 * came (the writer completes a batch's sends in its order). Meanwhile the consumer queues nothing new
 * ({@link #queue} waits), so later records stay behind them. A full writer queue makes the consumer store that request
 * itself the same way: the partition waits, nothing is dropped.
 *
 * @param <R> the request ({@link NotificationRequest}; the unit test's own)
 */
final class OrderedStores<R> {

    private static final Logger LOG = Logger.getLogger(OrderedStores.class);

    /** Queues a request for the writer; the future completes once it is committed. Throws SendBatcher.Busy when full. */
    private final Function<R, CompletableFuture<?>> submit;
    /** Stores a request and returns once it is committed, trying for as long as it takes. */
    private final Consumer<R> storeDurably;
    private final ExecutorService retrier = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "intake-store-retry");
        thread.setDaemon(true);
        return thread;
    });
    /** Failed stores not stored again yet; guarded by this. */
    private int retrying;

    OrderedStores(Function<R, CompletableFuture<?>> submit, Consumer<R> storeDurably) {
        this.submit = submit;
        this.storeDurably = storeDurably;
    }

    /**
     * Queues {@code request} (granted) for the writer and returns; {@code record} is acknowledged once it is stored.
     * Called by the consumer, one record at a time in the partition's order. {@code trace}: the record's trace context.
     */
    void queue(R request, Message<?> record, Context trace) {
        awaitRetries();
        CompletableFuture<?> stored;
        try {
            stored = submit.apply(request);
        } catch (SendBatcher.Busy e) {
            storeDurably.accept(request); // waits for room, as long as it takes
            record.ack();
            return;
        }
        stored.whenComplete((sent, failure) -> {
            if (failure == null) {
                record.ack();
            } else {
                storeAgain(request, record, trace, failure);
            }
        });
    }

    private synchronized void storeAgain(R request, Message<?> record, Context trace, Throwable failure) {
        retrying++;
        LOG.warnf("Storing a notification request failed, storing it again before any later one: %s", failure.toString());
        retrier.execute(() -> {
            try (Scope scope = trace == null ? null : trace.makeCurrent()) {
                storeDurably.accept(request);
                record.ack();
            } catch (RuntimeException e) { // only when stopping: the record is not acknowledged, so read again on restart
                LOG.warnf("Not stored (stopping); the record will be read again: %s", e.toString());
            } finally {
                stored();
            }
        });
    }

    private synchronized void stored() {
        if (--retrying == 0) {
            notifyAll();
        }
    }

    private synchronized void awaitRetries() {
        while (retrying > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while earlier records are stored again", e);
            }
        }
    }

    void stop() {
        retrier.shutdownNow();
    }
}
