package io.notify.infra.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Classpaths for starting this module's mains ({@code KafkaBrokerMain}, {@code PostgresMain}) as child processes. */
public final class Classpaths {

    private Classpaths() {
    }

    /** The classpath of the running JVM. */
    public static String current() {
        return ManagedProcess.currentClasspath();
    }

    /**
     * The runtime classpath of the local-infra module at {@code moduleDir} after {@code mvn package}:
     * {@code target/classes} (or the module jar) plus {@code target/classpath.txt}, which includes the
     * slf4j-simple binding that consumers of the jar do not get.
     */
    public static String localInfra(Path moduleDir) {
        Path target = moduleDir.toAbsolutePath().resolve("target");
        Path classpathFile = target.resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing; run ./mvnw -pl local-infra package first");
        }
        try {
            String dependencies = Files.readString(classpathFile).trim();
            return moduleOutput(target) + File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String moduleOutput(Path target) throws IOException {
        Path classes = target.resolve("classes");
        if (Files.isDirectory(classes.resolve("io/notify/infra"))) {
            return classes.toString();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.map(Path::toString)
                    .filter(f -> f.matches(".*/local-infra-[^/]*\\.jar") && !f.endsWith("-sources.jar") && !f.endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No local-infra classes or jar in " + target));
        }
    }
}
