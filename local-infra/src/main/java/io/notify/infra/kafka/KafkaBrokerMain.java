package io.notify.infra.kafka;

import io.notify.infra.process.ParentWatcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link KafkaBroker} as a separate process: {@code --data-dir <path> --port <n>} (port 0 = free port).
 *
 * <p>Prints exactly one {@code KAFKA READY <bootstrapServers>} line to stdout once the broker serves
 * requests, shuts down cleanly on SIGTERM, and exits by itself when its parent process dies.
 */
public final class KafkaBrokerMain {

    public static final String READY_PREFIX = "KAFKA READY ";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        quietLogging();
        Args parsed = Args.parse(args);
        long started = System.nanoTime();
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(parsed.dataDir, parsed.port);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        ParentWatcher.exitWhenParentDies();
        System.err.printf("Kafka broker %s started in %d ms%n", broker, (System.nanoTime() - started) / 1_000_000);
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        System.out.flush();
        // Non-daemon Kafka threads keep the JVM alive until SIGTERM (shutdown hook) or the parent's death.
    }

    /** JVM flags for a broker that starts fast (tests, the local launch): C1 only. */
    public static final List<String> QUICK_START_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    /** JVM flags for a broker measured under load (benchmarks): the full JIT, as a production broker has. */
    public static final List<String> STEADY_STATE_JVM = List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC");

    /** The command line to run this main with the given classpath, e.g. {@code Classpaths.localInfra(...)}. */
    public static List<String> command(String classpath, Path dataDir, int port) {
        return command(classpath, dataDir, port, QUICK_START_JVM);
    }

    /** {@link #command(String, Path, int)} with the given JVM flags. */
    public static List<String> command(String classpath, Path dataDir, int port, List<String> jvmOptions) {
        List<String> args = new ArrayList<>();
        args.add("--data-dir");
        args.add(dataDir.toAbsolutePath().toString());
        args.add("--port");
        args.add(String.valueOf(port));
        return io.notify.infra.process.ManagedProcess.javaCommand(jvmOptions, classpath,
                KafkaBrokerMain.class.getName(), args);
    }

    /** WARN level for slf4j-simple and a silent log4j API, unless the caller configured otherwise. */
    static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        // Benign "already closed" warning on every shutdown.
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        // log4j-core is deliberately absent; without this the log4j API complains about a missing provider.
        setIfAbsent("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private record Args(Path dataDir, int port) {
        static Args parse(String[] args) {
            Path dataDir = null;
            int port = 0;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    usage("missing value for " + arg);
                }
                switch (arg) {
                    case "--data-dir" -> dataDir = Path.of(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    default -> usage("unknown argument " + arg);
                }
            }
            if (dataDir == null) {
                usage("--data-dir is required");
            }
            return new Args(dataDir, port);
        }

        private static void usage(String problem) {
            System.err.println(problem);
            System.err.println("usage: KafkaBrokerMain --data-dir <path> [--port <n>]");
            System.exit(2);
        }
    }
}
