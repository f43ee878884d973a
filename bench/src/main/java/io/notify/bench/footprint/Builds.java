package io.notify.bench.footprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.notify.infra.Dirs;
import io.notify.infra.process.ManagedProcess;

/**
 * {@code --build}: builds a service's jar or native executable from its sources (its compiled classes deleted
 * first, not {@code clean}, which would delete the other mode's output), times it and records the time in
 * {@code bench/target/footprint-builds.properties}, so that a later run without {@code --build} prints the
 * last measured build with its date. The builder's peak RSS comes from {@code /usr/bin/time -v}: the largest
 * resident set of any single process of the build (for a native build, the native-image generator's JVM).
 */
final class Builds {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Path repo;
    private final Path record;
    private final Path toolchain;
    private final Path nativeJavaHome;
    private ManagedProcess running;
    private boolean closed;

    Builds(Path repo, Path toolchain, Path nativeJavaHome) {
        this.repo = repo;
        this.record = repo.resolve("bench/target/footprint-builds.properties");
        this.toolchain = toolchain;
        this.nativeJavaHome = nativeJavaHome;
    }

    /** The command that builds {@code service} in {@code mode} (the other modules already installed in ~/.m2). */
    List<String> command(Service service, Mode mode) {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-q", "-DskipTests", "package"));
        if (mode == Mode.NATIVE) {
            command.add("-Pnative");
        }
        command.addAll(List.of("-pl", service.module));
        if (mode == Mode.NATIVE) {
            command.add("-Dquarkus.native.graalvm-home=" + toolchain);
        }
        return command;
    }

    /**
     * Builds, one at a time, and records the result (also a failure); false when the build failed. Refuses (and
     * skips) a native build while another native-image generator runs on the machine: two do not fit in its memory.
     */
    boolean build(Service service, Mode mode, Consumer<String> out) throws IOException, InterruptedException {
        List<String> command = command(service, mode);
        String what = service.module + " " + mode.label;
        if (mode == Mode.NATIVE) {
            Optional<Long> other = nativeBuildRunning();
            if (other.isPresent()) {
                out.accept("build of " + what + " skipped: a native-image build (pid " + other.get()
                        + ") is running, and two do not fit in memory");
                return true;
            }
        }
        Path log = repo.resolve("bench/target/footprint-build-" + service.module + "-" + mode.name().toLowerCase(Locale.ROOT) + ".log");
        Path times = repo.resolve("bench/target/footprint-build-time.txt");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        // from the sources: without its compiled classes the module compiles again (no `clean`: it would delete the
        // other mode's output, e.g. the native executable); dependencies come from ~/.m2
        for (String compiled : List.of("classes", "test-classes")) {
            Dirs.deleteRecursively(repo.resolve(service.module + "/target/" + compiled));
        }
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", times.toString()));
        timed.addAll(command);
        out.accept("building " + what + ": " + (mode == Mode.NATIVE ? "JAVA_HOME=" + nativeJavaHome + " " : "")
                + String.join(" ", command) + " (log " + repo.relativize(log) + ")");
        long start = System.nanoTime();
        ManagedProcess builder = ManagedProcess.start("build " + what, timed,
                mode == Mode.NATIVE ? Map.of("JAVA_HOME", nativeJavaHome.toString()) : Map.of(), repo, log, null,
                Duration.ofMinutes(1));
        synchronized (this) {
            if (closed) {
                builder.kill();
                throw new IllegalStateException("the benchmark is being stopped");
            }
            running = builder;
        }
        int exit = builder.process().waitFor();
        synchronized (this) {
            running = null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Matcher rss = MAX_RSS.matcher(Files.exists(times) ? Files.readString(times) : "");
        long peakKb = rss.find() ? Long.parseLong(rss.group(1)) : -1;
        Properties p = load();
        String key = key(service, mode);
        p.setProperty(key + ".seconds", String.format(Locale.ROOT, "%.1f", seconds));
        p.setProperty(key + ".peak-rss-kb", String.valueOf(peakKb));
        p.setProperty(key + ".when", LocalDateTime.now().format(WHEN));
        p.setProperty(key + ".exit", String.valueOf(exit));
        p.setProperty(key + ".command", (mode == Mode.NATIVE ? "JAVA_HOME=" + nativeJavaHome + " " : "")
                + String.join(" ", command));
        try (OutputStream o = Files.newOutputStream(record)) {
            p.store(o, "footprint benchmark: the last measured build of each service and mode (FootprintBench --build)");
        }
        out.accept("  " + what + ": " + describe(service, mode));
        if (exit != 0) {
            out.accept("  last lines of the build log:\n" + String.join("\n", tail(log)));
        }
        return exit == 0;
    }

    /** "312.4 s, builder peak RSS 6.12 GB (2026-12-05 21:10)", "FAILED ...", or "not measured". */
    String describe(Service service, Mode mode) {
        Properties p = load();
        String key = key(service, mode);
        String seconds = p.getProperty(key + ".seconds");
        if (seconds == null) {
            return "not measured";
        }
        long peakKb = Long.parseLong(p.getProperty(key + ".peak-rss-kb", "-1"));
        String text = String.format(Locale.ROOT, "%s s, peak RSS %.2f GB (%s)", seconds, peakKb / 1024.0 / 1024.0,
                p.getProperty(key + ".when"));
        return "0".equals(p.getProperty(key + ".exit")) ? text : "FAILED (exit " + p.getProperty(key + ".exit") + ") " + text;
    }

    /** The recorded build seconds, or -1. */
    double seconds(Service service, Mode mode) {
        Properties p = load();
        String key = key(service, mode);
        return "0".equals(p.getProperty(key + ".exit")) ? Double.parseDouble(p.getProperty(key + ".seconds")) : -1;
    }

    /** Stops a build still running (Ctrl-C); no build starts after. */
    synchronized void close() {
        closed = true;
        if (running != null) {
            running.stop(Duration.ofSeconds(10));
        }
    }

    /** The pid of a running native-image generator (anyone's), if any. */
    static Optional<Long> nativeBuildRunning() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("NativeImageGeneratorRunner")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }

    private static String key(Service service, Mode mode) {
        return service.module + "." + mode.name().toLowerCase(Locale.ROOT);
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(record)) {
            try (InputStream in = Files.newInputStream(record)) {
                p.load(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return p;
    }

    private static List<String> tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return lines.subList(Math.max(0, lines.size() - 30), lines.size());
    }
}
