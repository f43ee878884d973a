package io.notify.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service the footprint benchmark measures: where its two builds are, and how its image runs the JVM one. */
public enum Service {

    AUTH("auth-service", "auth"),
    NOTIFICATION("notification-service", "notification"),
    GATEWAY("gateway-service", null);

    /** The version of the suite's modules, part of the native executable's name. */
    static final String VERSION = "0.1.0-SNAPSHOT";

    /** {@code ENV NAME="value"} or {@code ENV NAME=value} in a Dockerfile. */
    private static final Pattern DOCKER_ENV = Pattern.compile("(?m)^ENV\\s+([A-Z_]+)=(\"([^\"]*)\"|(\\S*))\\s*$");

    final String module;
    /** Its PostgreSQL database, or null. */
    final String database;

    Service(String module, String database) {
        this.module = module;
        this.database = database;
    }

    static Service of(String module) {
        for (Service s : values()) {
            if (s.module.equals(module)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown service " + module + "; one of auth-service, notification-service, gateway-service");
    }

    Path quarkusApp(Path repo) {
        return repo.resolve(module + "/target/quarkus-app");
    }

    /** The executable {@code ./mvnw package -Pnative} writes. */
    Path nativeExecutable(Path repo) {
        return repo.resolve(module + "/target/" + module + "-" + VERSION + "-runner");
    }

    /**
     * The JVM flags the service's image ({@code src/main/docker/Dockerfile.jvm}) starts it with: the defaults
     * of the ubi9 openjdk image's {@code run-java.sh} ({@code java-default-options} of
     * rh-openjdk/redhat-openjdk-containers: {@code -XX:MaxRAMPercentage=80.0}, the collector from
     * {@code GC_CONTAINER_OPTIONS} or else {@code -XX:+UseParallelGC}, the heap-free ratios from
     * {@code GC_MIN_HEAP_FREE_RATIO}/{@code GC_MAX_HEAP_FREE_RATIO} or else 10/20, the other heap-ratio flags and
     * {@code -XX:+ExitOnOutOfMemoryError}), then the Dockerfile's {@code JAVA_OPTS_APPEND} without its
     * {@code -Dquarkus.http.host} (a system property would override the bench's 127.0.0.1). Read from the
     * Dockerfile each run, so a change of the image's flags is measured without touching the bench.
     */
    public List<String> imageJvmFlags(Path repo) throws IOException {
        Map<String, String> env = new HashMap<>();
        Matcher m = DOCKER_ENV.matcher(Files.readString(repo.resolve(module + "/src/main/docker/Dockerfile.jvm")));
        while (m.find()) {
            env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        List<String> flags = new ArrayList<>();
        flags.add("-XX:MaxRAMPercentage=80.0");
        flags.addAll(split(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC")));
        flags.addAll(List.of("-XX:MinHeapFreeRatio=" + env.getOrDefault("GC_MIN_HEAP_FREE_RATIO", "10"),
                "-XX:MaxHeapFreeRatio=" + env.getOrDefault("GC_MAX_HEAP_FREE_RATIO", "20"), "-XX:GCTimeRatio=4",
                "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError"));
        for (String flag : split(env.getOrDefault("JAVA_OPTS_APPEND", ""))) {
            if (!flag.startsWith("-Dquarkus.http.host=")) {
                flags.add(flag);
            }
        }
        return flags;
    }

    private static List<String> split(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }
}
