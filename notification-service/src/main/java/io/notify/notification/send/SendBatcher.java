package io.notify.notification.send;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.DedicatedConnection;
import io.notify.notification.outbox.TraceParent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Group commit for sends. A send holds the sequence lock from its seq draw to its commit (see
 * {@code outbox.SequencedOutbox}), so one transaction per send would line every send up behind the previous one's
 * commit (a disk flush each): a few hundred sends per second however many cores there are. Sends
 * queue here instead; one writer stores everything queued so far (up to {@code notify.send.batch-size})
 * in one transaction, one lock and one flush for the lot, and answers each caller after the commit. The
 * writer keeps a connection of its own, in plain JDBC transactions (one round trip a batch, see
 * {@link NotificationWriter#store}).
 * A batch that fails is stored again one send per transaction, so one bad send fails alone.
 */
@ApplicationScoped
public class SendBatcher {

    private static final Logger LOG = Logger.getLogger(SendBatcher.class);

    /**
     * A send waiting for the writer. {@code id}: the notification's id when already given (a scheduled send's),
     * else null (the writer draws one). {@code traceparent}: the trace context of the caller that sent it (null when
     * tracing is off), stored with its own outbox row: each send of a group commit keeps its own trace.
     */
    public record Pending(UUID id, NotificationRequest request, String sender, String idempotencyScope, Sender from,
            String traceparent, CompletableFuture<NotificationWriter.Sent> result) {
    }

    /**
     * Who sent it, for its delivery statistics: the sending user's or service account's id (null for the Kafka intake)
     * and company (null for service accounts), and how many users the audience has (null: unknown).
     */
    public record Sender(String id, String company, Integer audienceSize) {
        public static final Sender UNKNOWN = new Sender(null, null, null);
    }

    private final NotificationWriter notifications;
    private final SendConfig config;
    private final BlockingQueue<Pending> queue;
    /** The writer thread's own connection: no pool check, no JTA transaction per batch. */
    private final DedicatedConnection connection;
    private volatile boolean running = true;
    private Thread writer;

    private final SendMetrics metrics;

    public SendBatcher(NotificationWriter notifications, SendConfig config, AgroalDataSource database,
            SendMetrics metrics) {
        this.notifications = notifications;
        this.metrics = metrics;
        // statements planned once per connection (their plans do not depend on the batch's values); commits
        // wait for their WAL flush, as an answered send must survive a crash
        this.connection = new DedicatedConnection(database, "SET plan_cache_mode = force_generic_plan");
        this.config = config;
        this.queue = new LinkedBlockingQueue<>(config.queueCapacity());
    }

    void start(@Observes StartupEvent event) {
        writer = new Thread(this::run, "send-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (writer == null || !writer.isAlive()) {
            connection.release();
        }
    }

    /**
     * Stores the send and returns once it is committed (or found by its idempotency key). Throws
     * {@link Busy} when the queue is full: the caller answers 503 and the producer retries.
     */
    public NotificationWriter.Sent send(NotificationRequest request, String sender, String idempotencyScope) {
        return send(request, sender, idempotencyScope, Sender.UNKNOWN);
    }

    /** {@link #send(NotificationRequest, String, String)}, with who sent it. */
    public NotificationWriter.Sent send(NotificationRequest request, String sender, String idempotencyScope, Sender from) {
        try {
            return submit(request, sender, idempotencyScope, from).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Queues the send without waiting: the result completes, on the writer's thread, once the send is
     * committed (or found by its idempotency key). Throws {@link Busy} when the queue is full.
     */
    public CompletableFuture<NotificationWriter.Sent> submit(NotificationRequest request, String sender,
            String idempotencyScope) {
        return submit(request, sender, idempotencyScope, Sender.UNKNOWN);
    }

    /** {@link #submit(NotificationRequest, String, String)}, with who sent it. */
    public CompletableFuture<NotificationWriter.Sent> submit(NotificationRequest request, String sender,
            String idempotencyScope, Sender from) {
        return submit(null, request, sender, idempotencyScope, from);
    }

    /** {@link #submit(NotificationRequest, String, String, Sender)} with the notification's id given (not null: drawn). */
    CompletableFuture<NotificationWriter.Sent> submit(UUID id, NotificationRequest request, String sender,
            String idempotencyScope, Sender from) {
        Pending pending = new Pending(id, request, sender, idempotencyScope, from, TraceParent.current(),
                new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            throw new Busy();
        }
        return pending.result();
    }

    /** The write queue is full (or the service is stopping): retry later. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("The store is busy: retry shortly", null, false, false);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(config.batchSize());
        long minInterval = config.minBatchInterval().toNanos();
        long lastStart = System.nanoTime() - minInterval;
        while (true) {
            Pending first;
            try {
                first = running ? queue.poll(1, TimeUnit.SECONDS) : queue.poll();
            } catch (InterruptedException e) {
                continue; // stop() wakes the writer: what is queued is still stored below
            }
            if (first == null) {
                if (!running) {
                    return;
                }
                continue;
            }
            batch.add(first);
            // sends close behind the last batch wait for the next one to fill: under load a batch starts at
            // most every min-batch-interval; a send after a quiet moment is written at once
            long wait = lastStart + minInterval - System.nanoTime();
            if (wait > 0 && running) {
                LockSupport.parkNanos(wait);
            }
            lastStart = System.nanoTime();
            queue.drainTo(batch, config.batchSize() - 1);
            metrics.batch(batch.size());
            try {
                store(batch);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Send writer failed on a batch of %d", batch.size());
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void store(List<Pending> batch) {
        List<NotificationWriter.Sent> sent;
        try {
            sent = storeOnce(batch);
        } catch (SQLException | RuntimeException batchFailure) {
            connection.rollback();
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(batchFailure);
                return;
            }
            LOG.debugf("A batch of %d failed (%s): storing its sends one by one", batch.size(), batchFailure);
            for (Pending p : batch) {
                store(List.of(p));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(sent.get(i));
        }
    }

    /**
     * One transaction for the batch. When the connection failed (SQLState class 08) or the database ended
     * the session (57P: a restart, an administrator), the batch is stored once more on a new connection
     * rather than failed: after a database restart the writer's kept connection is dead, and the first
     * sends must still be stored. A transaction cut off that way was rolled back, unless its commit went
     * through and only the answer was lost: then a send without an idempotency key is stored twice, exactly
     * as when its caller, answered 500, sends it again (a key makes either retry store nothing new).
     */
    private List<NotificationWriter.Sent> storeOnce(List<Pending> batch) throws SQLException {
        try {
            return notifications.store(connection.get(), batch);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state == null || !(state.startsWith("08") || state.startsWith("57P"))) {
                throw e;
            }
            LOG.debugf("The send writer's connection failed (%s): storing the batch on a new one", e);
            connection.release();
            return notifications.store(connection.get(), batch);
        }
    }
}
