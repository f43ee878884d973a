package io.notify.infra.postgres;

import io.notify.infra.process.ManagedProcess;
import io.notify.infra.process.ParentWatcher;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a {@link PostgresServer} from a separate JVM: {@code --data-dir <path> --port <n>} (port 0 = free port).
 *
 * <p>Prints {@code POSTGRES PID <postmaster pid>} and then exactly one {@code POSTGRES READY <port>}
 * line to stdout once postgres accepts connections. Stops postgres (fast shutdown) on SIGTERM and
 * when its own parent process dies.
 */
public final class PostgresMain {

    public static final String READY_PREFIX = "POSTGRES READY ";
    public static final String PID_PREFIX = "POSTGRES PID ";

    private PostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = null;
        int port = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (dataDir == null || args.length % 2 != 0) {
            usage("--data-dir <path> is required");
        }
        long started = System.nanoTime();
        PostgresServer server;
        try {
            server = PostgresServer.start(dataDir, port);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        // ManagedProcess' shutdown hook stops the server (SIGINT, as PostgresServer.close) on SIGTERM or System.exit.
        ParentWatcher.exitWhenParentDies();
        System.err.printf("%s started in %d ms%n", server, (System.nanoTime() - started) / 1_000_000);
        System.out.println(PID_PREFIX + server.process().pid());
        System.out.println(READY_PREFIX + server.port());
        System.out.flush();
        Process postmaster = server.process().process();
        postmaster.onExit().join();
        System.err.println("postgres exited with code " + postmaster.exitValue());
        System.exit(postmaster.exitValue() == 0 ? 0 : 1);
    }

    /** The command line to run this main with the given classpath. */
    public static List<String> command(String classpath, Path dataDir, int port) {
        return ManagedProcess.javaCommand(List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                classpath, PostgresMain.class.getName(),
                List.of("--data-dir", dataDir.toAbsolutePath().toString(), "--port", String.valueOf(port)));
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: PostgresMain --data-dir <path> [--port <n>]");
        System.exit(2);
    }
}
