package io.notify.infra.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.notify.infra.postgres.PostgresMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path tmp;

    @Test
    void earlyExitReportsTheLastOutputLines() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ManagedProcess.start("failing",
                List.of("sh", "-c", "echo preparing; echo \"broken: $WHAT\" >&2; exit 3"), Map.of("WHAT", "config"),
                tmp.resolve("failing.log"), line -> line.equals("READY"), Duration.ofSeconds(10)));
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("preparing"), e.getMessage());
        assertTrue(e.getMessage().contains("broken: config"), e.getMessage());
    }

    @Test
    void timeoutKillsTheProcess() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ManagedProcess.start("silent",
                List.of("sh", "-c", "echo started; exec sleep 60"), null,
                tmp.resolve("silent.log"), line -> line.equals("READY"), Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("not ready within"), e.getMessage());
        assertTrue(e.getMessage().contains("started"), e.getMessage());
    }

    @Test
    void stopEndsTheProcessAndItsDescendants() throws Exception {
        Path log = tmp.resolve("tree.log");
        Files.writeString(log, "READY from an earlier run\n");
        try (ManagedProcess p = ManagedProcess.start("tree", List.of("sh", "-c", "sleep 60 & echo READY; wait"), null,
                log, line -> line.equals("READY"), Duration.ofSeconds(10))) {
            assertEquals("READY", p.readyLine());
            List<ProcessHandle> descendants = p.process().descendants().toList();
            assertFalse(descendants.isEmpty());
            p.stop(Duration.ofSeconds(5));
            assertFalse(p.isAlive());
            descendants.forEach(d -> assertFalse(d.isAlive(), "descendant " + d.pid() + " still alive"));
            assertEquals(List.of("READY from an earlier run", "READY"), p.lastLines(10));
        }
    }

    @Test
    void stopWithSendsItsSignalInsteadOfSigterm() {
        // USR1, not INT: a shell cannot trap a signal ignored when it started, and a CI started as a background job of
        // a non-interactive shell hands every child SIGINT ignored
        ManagedProcess p = ManagedProcess.start("usr1", List.of("sh", "-c",
                "trap 'echo stopped by USR1; exit 0' USR1; echo READY; while :; do sleep 0.1; done"), null,
                tmp.resolve("usr1.log"), line -> line.equals("READY"), Duration.ofSeconds(10))
                .stopWith("USR1", Duration.ofSeconds(10));
        p.stop(Duration.ofSeconds(10));
        assertFalse(p.isAlive());
        assertEquals(0, p.process().exitValue());
        assertTrue(p.lastLines(5).contains("stopped by USR1"), p.lastLines(5).toString());
    }

    @Test
    void aNullEnvironmentValueRemovesTheVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", null);
        env.put("WHAT", "set");
        ManagedProcess p = ManagedProcess.start("env", List.of("sh", "-c", "echo \"${HOME-unset} ${WHAT}\"; echo READY"),
                env, tmp.resolve("env.log"), line -> line.equals("READY"), Duration.ofSeconds(10));
        assertEquals(List.of("unset set", "READY"), p.lastLines(2));
    }

    /** A PostgresMain whose parent dies (here: a shell killed with -9) stops postgres and exits. */
    @Test
    void postgresMainStopsWhenItsParentDies() throws Exception {
        Path dataDir = tmp.resolve("pg");
        String java = String.join(" ", PostgresMain.command(Classpaths.current(), dataDir, 0).stream()
                .map(arg -> "'" + arg + "'").toList());
        long t0 = System.nanoTime();
        ManagedProcess shell = ManagedProcess.start("pg-wrapper", List.of("sh", "-c", java + " & wait"), null,
                tmp.resolve("pg-main.log"), line -> line.startsWith(PostgresMain.READY_PREFIX), Duration.ofSeconds(60));
        System.out.printf("PostgresMain child process ready: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        int port = Integer.parseInt(shell.readyLine().substring(PostgresMain.READY_PREFIX.length()).trim());
        long postgresPid = Long.parseLong(shell.lastLines(50).stream()
                .filter(l -> l.startsWith(PostgresMain.PID_PREFIX)).findFirst().orElseThrow()
                .substring(PostgresMain.PID_PREFIX.length()).trim());
        ProcessHandle main = shell.process().children().findFirst().orElseThrow();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "notify", "notify");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            assertTrue(rs.next());
        }

        shell.process().destroyForcibly(); // only the shell: the JVM below it becomes an orphan
        await().atMost(Duration.ofSeconds(30)).until(() -> !main.isAlive());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(postgresPid).map(p -> !p.isAlive()).orElse(true));
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")), "postgres was stopped cleanly");
    }
}
