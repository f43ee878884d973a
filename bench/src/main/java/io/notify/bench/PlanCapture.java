package io.notify.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.notify.infra.postgres.PostgresServer;

/**
 * The plans of the statements the service really runs, with {@code EXPLAIN (ANALYZE, BUFFERS)}
 * detail: PostgreSQL's auto_explain, loaded into every session ({@code session_preload_libraries},
 * set before the service connects) but only switched on ({@code log_min_duration = 0}) around the
 * requests being explained, so that the measurement itself carries no instrumentation overhead.
 * The plans are read back from the server's log.
 */
final class PlanCapture {

    private final PostgresServer postgres;

    PlanCapture(PostgresServer postgres) {
        this.postgres = postgres;
    }

    /** Before the service starts: sessions opened from now on load auto_explain (idle until switched on). */
    void install() throws SQLException {
        execute("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'", "SELECT pg_reload_conf()");
    }

    /** Logs the (estimated) plan of every statement slower than {@code ms}; no instrumentation of the others. */
    void slowerThan(int ms) throws SQLException {
        execute("LOAD 'auto_explain'", "ALTER SYSTEM SET auto_explain.log_min_duration = " + ms,
                "SELECT pg_reload_conf()");
    }

    /** Logs the plan of every statement that finishes from now on, with actual times and buffers. */
    void on() throws SQLException {
        execute("LOAD 'auto_explain'", "ALTER SYSTEM SET auto_explain.log_min_duration = 0", "ALTER SYSTEM SET auto_explain.log_analyze = on",
                "ALTER SYSTEM SET auto_explain.log_buffers = on", "ALTER SYSTEM SET auto_explain.log_timing = on",
                "SELECT pg_reload_conf()");
    }

    void off() throws SQLException {
        execute("LOAD 'auto_explain'", "ALTER SYSTEM RESET auto_explain.log_min_duration", "SELECT pg_reload_conf()");
    }

    /** Where the server log ends now. */
    long mark() {
        try {
            return Files.size(postgres.process().logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plans logged since {@code mark}, one string per statement, without the outbox relay's polling. */
    List<String> plansSince(long mark) {
        String log;
        try (RandomAccessFile in = new RandomAccessFile(postgres.process().logFile().toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, in.length() - mark)];
            in.seek(mark);
            in.readFully(bytes);
            log = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> plans = new ArrayList<>();
        StringBuilder current = null;
        for (String line : log.split("\n")) {
            if (line.contains("LOG:  duration:") && line.contains("plan:")) {
                addPlan(plans, current);
                current = new StringBuilder(line.substring(line.indexOf("duration:"))).append('\n');
            } else if (current != null && (line.startsWith("\t") || line.startsWith(" "))) {
                current.append(line).append('\n');
            } else {
                addPlan(plans, current);
                current = null;
            }
        }
        addPlan(plans, current);
        return plans;
    }

    private static void addPlan(List<String> plans, StringBuilder plan) {
        if (plan != null && !plan.toString().contains("outbox")) {
            plans.add(plan.toString());
        }
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = postgres.connect("notification"); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
