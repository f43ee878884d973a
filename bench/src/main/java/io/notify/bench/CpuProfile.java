package io.notify.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where a process's CPU goes, user and kernel code alike: async-profiler (Maven Central's
 * {@code tools.profiler:async-profiler}, its Linux library taken from the jar on the bench's classpath) sampling
 * on-CPU stacks with perf events every millisecond, kernel frames included. Started in a running JVM through
 * {@code jcmd JVMTI.agent_load}, or in this JVM through the library's Java API. The stacks are written in the
 * collapsed format (one line per distinct stack, thread name first: {@code thread;frame;...;leaf count}), which
 * {@link #summary} reads. Sampling costs the process CPU: a profiled stretch is never a measured one.
 */
public final class CpuProfile {

    /** Every millisecond of CPU, kernel stacks included; each thread's stacks under its own name. */
    private static final String START = "start,event=cpu,interval=1ms,threads";

    private final Path library;

    private CpuProfile(Path library) {
        this.library = library;
    }

    /** The library, copied once from the classpath into {@code dir}. */
    public static CpuProfile in(Path dir) throws IOException {
        Path library = dir.resolve("libasyncProfiler.so");
        if (!Files.exists(library)) {
            try (InputStream so = CpuProfile.class.getResourceAsStream("/linux-x64/libasyncProfiler.so")) {
                if (so == null) {
                    throw new IOException("async-profiler's linux-x64 library is not on the classpath (bench/pom.xml)");
                }
                Files.createDirectories(dir);
                Files.copy(so, library, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new CpuProfile(library);
    }

    /** Starts sampling the JVM {@code pid}. */
    public void start(long pid) throws Exception {
        agent(pid, START);
    }

    /** Stops sampling the JVM {@code pid} and writes its stacks to {@code collapsed}. */
    public void stop(long pid, Path collapsed) throws Exception {
        agent(pid, "stop,collapsed,file=" + collapsed);
        if (!Files.exists(collapsed)) {
            throw new IllegalStateException("async-profiler wrote no " + collapsed);
        }
    }

    /** Starts sampling this JVM. */
    public void startHere() throws Exception {
        one.profiler.AsyncProfiler.getInstance(library.toString()).execute(START);
    }

    /** Stops sampling this JVM and writes its stacks to {@code collapsed}. */
    public void stopHere(Path collapsed) throws Exception {
        one.profiler.AsyncProfiler.getInstance(library.toString()).execute("stop,collapsed,file=" + collapsed);
    }

    private void agent(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // quoted: jcmd's own parser would split the agent's options at '='
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "JVMTI.agent_load", library.toString(),
                "\"" + command + "\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("return code: 0")) {
            throw new IllegalStateException("async-profiler " + command + " in " + pid + ": " + out.strip());
        }
    }

    /**
     * The samples of the threads {@code threads} accepts (by name) in {@code collapsed}, summed: their share in the
     * kernel (the leaf a kernel frame), then the {@code top} frames by self and by total samples, each in % of those
     * threads' samples and in µs per {@code unit} (samples are 1 ms of CPU each) when {@code units} is above 0.
     */
    public static String summary(Path collapsed, Predicate<String> threads, int top, long units, String unit)
            throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        long all = 0;
        long kernel = 0;
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String[] frames = line.substring(0, space).split(";");
            if (!threads.test(frames[0])) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1));
            all += n;
            String leaf = frames[frames.length - 1];
            if (leaf.endsWith("_[k]")) {
                kernel += n;
            }
            self.merge(leaf, n, Long::sum);
            Set<String> seen = new HashSet<>();
            for (int i = 1; i < frames.length; i++) {
                if (seen.add(frames[i])) {
                    total.merge(frames[i], n, Long::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d samples (1 ms of CPU each), %.0f%% with a kernel "
                + "frame on top%s%n", all, 100.0 * kernel / Math.max(1, all), units > 0 ? String.format(Locale.ROOT,
                        "; %.2f us per %s in all", all * 1000.0 / units, unit) : ""));
        out.append(table("self", self, all, top, units, unit));
        out.append(table("total (the frame and what it called)", total, all, top, units, unit));
        return out.toString();
    }

    private static String table(String title, Map<String, Long> counts, long all, int top, long units, String unit) {
        StringBuilder out = new StringBuilder("  by " + title + ":\n");
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
            out.append(String.format(Locale.ROOT, "    %5.1f%%%s  %s%n", 100.0 * e.getValue() / Math.max(1, all),
                    units > 0 ? String.format(Locale.ROOT, " %6.2f us/%s", e.getValue() * 1000.0 / units, unit) : "",
                    e.getKey()));
        }
        return out.toString();
    }
}
