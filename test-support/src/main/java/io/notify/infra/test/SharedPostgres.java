package io.notify.infra.test;

import io.notify.infra.Dirs;
import io.notify.infra.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one PostgreSQL server of a test JVM, shared through the system class loader like
 * {@link SharedKafka}. Internal.
 */
public final class SharedPostgres {

    private static final String PREFIX = "notify-pg-test-";
    private static PostgresServer server;

    private SharedPostgres() {
    }

    /** Makes sure the server runs and {@code database} exists; returns url, username and password. */
    public static synchronized Map<String, String> database(String database) {
        if (server == null) {
            server = start();
        }
        server.createDatabase(database);
        return Map.of(
                "url", server.jdbcUrl(database),
                "username", server.username(),
                "password", server.password());
    }

    private static PostgresServer start() {
        TestDirs.cleanupOrphans(PREFIX, dir -> {
            try {
                PostgresServer.stopStalePostmaster(dir.resolve("data"));
            } catch (IOException | RuntimeException e) {
                System.err.println("Could not stop the postgres left on " + dir + ": " + e);
            }
        });
        Path dir = TestDirs.create(PREFIX);
        try {
            PostgresServer started = PostgresServer.start(dir.resolve("data"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Dirs.deleteQuietly(dir);
            }, "test-postgres-shutdown"));
            return started;
        } catch (RuntimeException e) {
            Dirs.deleteQuietly(dir);
            throw e;
        }
    }
}
