package io.notify.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        return parameter.getParameter().getType() == Suite.class;
    }

    /** Injects the running suite into test methods and {@code @BeforeAll} methods. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        beforeAll(context);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).get(KEY, Running.class).suite;
    }

    static final class Running implements ExtensionContext.Store.CloseableResource {
        final Path dataDir;
        final Suite suite;

        Running() {
            Path repo = Path.of(System.getProperty("notify.repo.root", "..")).toAbsolutePath().normalize();
            try {
                dataDir = Files.createTempDirectory("notify-system-tests");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            suite = Suite.start(Suite.Config.forTests(repo, dataDir).withGateways(2)
                    .withNativeExecutables(Boolean.getBoolean("notify.suite.native")));
        }

        @Override
        public void close() {
            suite.close();
            Dirs.deleteQuietly(dataDir);
        }
    }
}
