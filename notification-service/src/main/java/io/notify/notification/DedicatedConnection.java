package io.notify.notification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.agroal.api.AgroalDataSource;

/**
 * A database connection one thread keeps for itself across its cycles (the send writer, the outbox
 * relay): at hundreds of cycles a second, taking one from the pool each time (the pool checks each
 * with a round trip) and running in a JTA transaction cost as much as the cycle's own statements.
 * Transactions are plain JDBC ones ({@code autoCommit} off). Its session settings are its owner's own,
 * so it never goes back to the pool for another use: {@link #release()} closes it for good, and the
 * next {@link #get()} opens a new one (after a database restart, say). Not thread-safe: one owner.
 */
public final class DedicatedConnection {

    private static final Logger LOG = Logger.getLogger(DedicatedConnection.class);

    private final AgroalDataSource database;
    private final String sessionSettings;
    private Connection connection;

    /** {@code sessionSettings}: SQL run once on each new connection (e.g. {@code SET plan_cache_mode = ...}). */
    public DedicatedConnection(AgroalDataSource database, String sessionSettings) {
        this.database = database;
        this.sessionSettings = sessionSettings;
    }

    public Connection get() throws SQLException {
        if (connection == null) {
            Connection c = database.getConnection();
            try (Statement settings = c.createStatement()) {
                settings.execute(sessionSettings);
                c.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                close(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    /** Closes the connection (it may be broken): the next {@link #get()} opens a new one. */
    public void release() {
        if (connection != null) {
            close(connection);
            connection = null;
        }
    }

    /** Rolls back what the failed cycle left open; a connection that cannot even do that is released. */
    public void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            release();
        }
    }

    /** Closes the database connection itself, then gives the pool its (now dead) handle back. */
    private static void close(Connection c) {
        try (c) {
            ((Connection) c.unwrap(PGConnection.class)).close();
        } catch (SQLException e) {
            LOG.debugf("Closing a dedicated connection: %s", e);
        }
    }
}
