package io.notify.infra.postgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @TempDir
    Path tmp;

    @Test
    void dataSurvivesSigkillAndCloseLeavesNoProcess() throws Exception {
        Path dataDir = tmp.resolve("pg/data");
        long t0 = System.nanoTime();
        PostgresServer first = PostgresServer.start(dataDir, 0);
        System.out.printf("PostgreSQL first start (initdb + start): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        int port = first.port();
        first.createDatabase("app");
        first.createDatabase("app"); // idempotent
        try (Connection c = first.connect("app"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO note VALUES (1, 'kept')");
        }
        List<ProcessHandle> backends = first.process().process().descendants().toList();
        assertFalse(backends.isEmpty());

        first.kill();
        assertGone(first.process().pid());
        backends.forEach(b -> assertFalse(b.isAlive(), "backend " + b.pid() + " still alive"));

        t0 = System.nanoTime();
        PostgresServer second = PostgresServer.start(dataDir, port);
        System.out.printf("PostgreSQL restart after SIGKILL (crash recovery): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        try {
            assertEquals(port, second.port());
            assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/app", second.jdbcUrl("app"));
            try (Connection c = second.connect("app"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT body FROM note WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals("kept", rs.getString(1));
            }
        } finally {
            long pid = second.process().pid();
            List<ProcessHandle> children = second.process().process().descendants().toList();
            t0 = System.nanoTime();
            second.close();
            System.out.printf("PostgreSQL close: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertGone(pid);
            children.forEach(b -> assertFalse(b.isAlive(), "backend " + b.pid() + " still alive"));
        }
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")));
        assertTrue(Files.exists(dataDir.resolveSibling("data.log")));
    }

    @Test
    void startOnADirectoryStillServedByALeftoverPostmasterStopsItFirst() throws Exception {
        Path dataDir = tmp.resolve("data");
        PostgresServer leftover = PostgresServer.start(dataDir, 0);
        leftover.createDatabase("app");
        // No close(): as if the launcher that started it had crashed.
        long t0 = System.nanoTime();
        try (PostgresServer server = PostgresServer.start(dataDir, leftover.port())) {
            System.out.printf("PostgreSQL start over a leftover postmaster: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertFalse(leftover.process().isAlive());
            try (Connection c = server.connect("app"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    private static void assertGone(long pid) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
}
