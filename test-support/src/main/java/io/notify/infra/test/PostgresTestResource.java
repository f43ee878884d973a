package io.notify.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource providing a real PostgreSQL server: one per test JVM (temp data directory,
 * stopped and deleted at JVM exit). Each start creates the database named by the init arg
 * {@code database} (default {@value #DEFAULT_DATABASE}) and points the default datasource at it.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_DATABASE = "app";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", DEFAULT_DATABASE);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> db = database(database);
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", db.get("url"),
                "quarkus.datasource.username", db.get("username"),
                "quarkus.datasource.password", db.get("password"));
    }

    @Override
    public void stop() {
        // The server lives until JVM exit so that later test classes reuse it.
    }

    /** Ensures the JVM's test server runs and {@code database} exists; returns its {@code url}, {@code username}, {@code password}. */
    public static Map<String, String> database(String database) {
        return SystemClassLoader.invokeStatic(SharedPostgres.class, "database", new Class<?>[] {String.class}, database);
    }
}
