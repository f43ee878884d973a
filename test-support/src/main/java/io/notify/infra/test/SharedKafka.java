package io.notify.infra.test;

import io.notify.infra.Dirs;
import io.notify.infra.kafka.KafkaBroker;
import io.notify.infra.kafka.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one Kafka broker of a test JVM. Loaded through the system class loader by
 * {@link KafkaTestResource} (see {@link SystemClassLoader}), so every Quarkus application class
 * loader shares it and it never runs on a class loader that Quarkus closes. Internal.
 */
public final class SharedKafka {

    private static final String PREFIX = "notify-kafka-test-";
    private static final String LOG4J_FACTORY = "log4j2.loggerContextFactory";
    // JUL keeps loggers weakly; hold on to the ones whose level is set.
    private static final List<Logger> QUIET_LOGGERS = new ArrayList<>();
    private static KafkaBroker broker;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = start();
        }
        return broker.bootstrapServers();
    }

    private static KafkaBroker start() {
        TestDirs.cleanupOrphans(PREFIX, dir -> { });
        quietBrokerLogging();
        Path dir = TestDirs.create(PREFIX);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Kafka resolves configured classes through the context class loader; its threads inherit it.
        thread.setContextClassLoader(SharedKafka.class.getClassLoader());
        try {
            KafkaBroker started = KafkaBroker.start(dir.resolve("data"), 0);
            Topics.create(started.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Dirs.deleteQuietly(dir);
            }, "test-kafka-shutdown"));
            return started;
        } catch (RuntimeException e) {
            Dirs.deleteQuietly(dir);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The broker logs through SLF4J into whatever backend the test JVM has (JBoss LogManager in a
     * Quarkus test, which honours JUL levels). Broker-side categories go to WARN; client ones stay.
     */
    private static void quietBrokerLogging() {
        for (String category : List.of("kafka", "state.change.logger", "org.apache.kafka.controller",
                "org.apache.kafka.raft", "org.apache.kafka.metadata", "org.apache.kafka.image",
                "org.apache.kafka.server", "org.apache.kafka.storage", "org.apache.kafka.coordinator",
                "org.apache.kafka.queue", "org.apache.kafka.snapshot", "org.apache.kafka.network",
                "org.apache.kafka.security", "org.apache.kafka.common.network", "org.apache.kafka.common.security",
                "org.apache.kafka.common.metrics", "org.apache.kafka.common.config",
                "org.apache.kafka.common.utils.AppInfoParser")) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.WARNING);
            QUIET_LOGGERS.add(logger);
        }
        // The broker touches the log4j API; without any provider (log4j-core is excluded) the API prints
        // an ERROR and falls back to its simple logger. Choose that fallback explicitly to skip the noise.
        if (System.getProperty(LOG4J_FACTORY) == null && !hasLog4jProvider()) {
            System.setProperty(LOG4J_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
    }

    private static boolean hasLog4jProvider() {
        ClassLoader loader = SharedKafka.class.getClassLoader();
        try {
            Class<?> provider = Class.forName("org.apache.logging.log4j.spi.Provider", false, loader);
            return ServiceLoader.load(provider, loader).findFirst().isPresent()
                    || loader.getResource("META-INF/log4j-provider.properties") != null;
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ServiceConfigurationError | LinkageError e) {
            return true;
        }
    }
}
