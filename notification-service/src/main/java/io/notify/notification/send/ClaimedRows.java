package io.notify.notification.send;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * What the pollers of kept sends ({@link DeferredSends}, {@link ScheduledSends}) share: a batch of rows claimed in one
 * transaction ({@code FOR UPDATE SKIP LOCKED}), handed to the group-committing writer, and deleted, in that transaction,
 * once the writer has committed them. A row whose store failed stays (and stays due) for the next run.
 */
final class ClaimedRows {

    private static final Logger LOG = Logger.getLogger(ClaimedRows.class);

    private ClaimedRows() {
    }

    /** Work on one connection in one transaction. */
    interface Work {
        int run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    static int inTransaction(AgroalDataSource database, Work work) throws SQLException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            try {
                int result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Waits for the writer to commit the claimed rows ({@code storing}, by id in claim order) and deletes those it
     * committed from {@code table} (ids of SQL type {@code idType}) on {@code c}; answers how many.
     */
    static <K> int deleteStored(Connection c, String table, String idType,
            Map<K, CompletableFuture<NotificationWriter.Sent>> storing, String what) throws SQLException {
        List<K> stored = stored(storing, what);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY(?)")) {
            delete.setArray(1, c.createArrayOf(idType, stored.toArray()));
            delete.executeUpdate();
        }
        return stored.size();
    }

    /** The keys of the rows the writer committed ({@code storing} in claim order); the others are logged. */
    private static <K> List<K> stored(Map<K, CompletableFuture<NotificationWriter.Sent>> storing, String what) {
        List<K> stored = new ArrayList<>();
        storing.forEach((id, sent) -> {
            try {
                sent.join();
                stored.add(id);
            } catch (RuntimeException e) {
                LOG.warnf("Storing a %s failed, will retry: %s", what, e.toString());
            }
        });
        return stored;
    }
}
