package io.notify.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.notify.infra.Dirs;
import io.notify.infra.launch.Suite;

/**
 * Starts the suite once for all system tests (as the local launch does, with free ports and a
 * throw-away data dir) and stops it when the test run ends. With {@code -Dsuite.native=true} (set by
 * the {@code native} profile) the services run from their native executables instead of their jars.
 * Every service exports its spans to an {@link OtlpReceiver} started first (TracingSystemTest reads them), and
 * every secret a test sends or receives over REST is collected ({@link Secrets}; LogSecretsSystemTest scans the
 * services' logs for them). When the run ends, the processes' logs are kept in {@code target/suite-logs/jvm}
 * ({@code native} for the native executables' run).
 */
public final class SuiteExtension implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = "notify-suite";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(KEY, k -> new Running(),
                Running.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Suite.class || type == OtlpReceiver.class;
    }

    /** Injects the running suite (or its trace receiver) into test methods and {@code @BeforeAll} methods. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        beforeAll(context);
        Running running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).get(KEY, Running.class);
        return parameter.getParameter().getType() == OtlpReceiver.class ? running.traces : running.suite;
    }

    static final class Running implements ExtensionContext.Store.CloseableResource {
        final Path dataDir;
        final OtlpReceiver traces;
        final Suite suite;
        final boolean nativeExecutables = Boolean.getBoolean("notify.suite.native");

        Running() {
            Path repo = Path.of(System.getProperty("notify.repo.root", "..")).toAbsolutePath().normalize();
            try {
                dataDir = Files.createTempDirectory("notify-system-tests");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Secrets.collectFromRestAssured();
            traces = OtlpReceiver.start();
            try {
                suite = Suite.start(Suite.Config.forTests(repo, dataDir).withGateways(2)
                        .withNativeExecutables(nativeExecutables)
                        .withServiceEnv(Map.of(
                                "OTEL_SDK_DISABLED", "false",
                                "OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint(),
                                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                                // spans reach the receiver within a fraction of a second, not the default 5 s
                                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms",
                                // DeliverySystemTest waits for a recipient to be reported undelivered
                                "NOTIFY_DELIVERY_TIMEOUT", "5s")));
            } catch (RuntimeException | Error e) {
                traces.close();
                throw e;
            }
        }

        @Override
        public void close() {
            suite.close();
            traces.close();
            keepLogs(dataDir.resolve("logs"), Path.of("target", "suite-logs", nativeExecutables ? "native" : "jvm"));
            Dirs.deleteQuietly(dataDir);
        }

        /**
         * Copies every process's log (each restart appended to the same file) to {@code kept}, so a failed run, in CI
         * too, can be read afterwards; the previous run's copy in the same mode is replaced.
         */
        static void keepLogs(Path logs, Path kept) {
            try {
                Dirs.deleteRecursively(kept);
                Files.createDirectories(kept);
                try (var files = Files.list(logs)) {
                    for (Path log : files.toList()) {
                        Files.copy(log, kept.resolve(log.getFileName()));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                System.err.println("Could not keep the suite's logs in " + kept.toAbsolutePath() + ": " + e);
            }
        }
    }
}
