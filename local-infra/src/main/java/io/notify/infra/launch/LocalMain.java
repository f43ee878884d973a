package io.notify.infra.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The local launch ({@code ./run-local.sh}): the whole suite on fixed, documented ports with data
 * kept in {@code .local-data/}; Ctrl-C stops everything.
 */
public final class LocalMain {

    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // measured from the run command when the script passes its start time, else from this JVM's start
        long startedMs = Long.parseLong(env("NOTIFY_LAUNCH_STARTED_MS",
                String.valueOf(ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                        .orElse(System.currentTimeMillis()))));
        Path repo = Path.of(System.getProperty("notify.repo.root", ".")).toAbsolutePath().normalize();
        Path data = Path.of(env("NOTIFY_DATA_DIR", repo.resolve(".local-data").toString())).toAbsolutePath();
        Suite.Config config = new Suite.Config(repo, data,
                port("NOTIFY_PORT", 8080), port("AUTH_PORT", 8081), port("NOTIFICATION_PORT", 8082),
                List.of(port("GATEWAY_PORT", 8083)), port("KAFKA_PORT", 9092), port("POSTGRES_PORT", 15432),
                "local", List.of(env("NOTIFY_JAVA_OPTS", "-Xmx512m").split("\\s+")))
                .withStaticRoot(Path.of(env("NOTIFY_STATIC_DIR", repo.resolve("frontend/dist").toString())).toAbsolutePath())
                .withNativeExecutables(Boolean.parseBoolean(env("NOTIFY_NATIVE", "false")));

        System.out.println("Starting PostgreSQL, Kafka and the services (logs in " + data.resolve("logs") + ") ...");
        Suite suite = Suite.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            suite.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "suite-stop"));

        Duration took = Duration.ofMillis(System.currentTimeMillis() - startedMs);
        System.out.printf("""

                Notify is ready in %.1f s  →  %s

                  one origin (browser, curl, WebSocket)  %s
                    /  (the dashboard)  /api/auth  /api/notifications  /api/broadcast  /api/topics  /api/ws
                  auth-service          %s   (Swagger UI: /q/swagger-ui)
                  notification-service  %s   (Swagger UI: /q/swagger-ui)
                  gateway-service       %s
                  Kafka bootstrap       %s
                  PostgreSQL            127.0.0.1:%d  (user notify / notify; databases auth, notification)

                  test users  admin / wkwkwk      company_a, admin
                              user1 / wkwkwk      company_a, user
                              user2 / password2   company_b, user

                Data is kept in %s. Press Ctrl-C to stop.
                """, took.toMillis() / 1000.0, suite.origin(), suite.origin(), suite.uri("auth-service"),
                suite.uri("notification-service"), suite.uri(suite.gateways().get(0)), suite.kafkaBootstrap(),
                suite.postgres().port(), data);
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int port(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }
}
