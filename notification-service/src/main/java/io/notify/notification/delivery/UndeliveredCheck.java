package io.notify.notification.delivery;

import org.jboss.logging.Logger;

import io.notify.notification.outbox.SequencedOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every {@code notify.delivery.check-interval}: user/users notifications sent more than {@code notify.delivery.timeout}
 * ago get one {@code undelivered} engagement event per recipient no device acknowledged. Each notification is claimed
 * with {@code FOR UPDATE SKIP LOCKED} and marked checked in the same transaction, so with several instances each is
 * checked once.
 */
@ApplicationScoped
public class UndeliveredCheck {

    private static final Logger LOG = Logger.getLogger(UndeliveredCheck.class);

    private final Receipts receipts;
    private final DeliveryConfig config;

    public UndeliveredCheck(Receipts receipts, DeliveryConfig config) {
        this.receipts = receipts;
        this.config = config;
    }

    @Scheduled(identity = "undelivered-check", every = "${notify.delivery.check-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            int checked;
            do {
                checked = QuarkusTransaction.requiringNew().call(() -> receipts.checkUndelivered(
                        SequencedOutbox.now().minus(config.timeout()), config.checkBatchSize()));
            } while (checked == config.checkBatchSize());
        } catch (RuntimeException e) {
            LOG.warnf("Undelivered check failed, will retry: %s", e.toString());
        }
    }
}
