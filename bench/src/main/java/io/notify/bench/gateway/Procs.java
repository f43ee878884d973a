package io.notify.bench.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.notify.bench.BenchStack;
import io.notify.bench.ProcessCpu;

/** What the gateway bench reads about a process: CPU from /proc, heap and threads through jcmd. */
final class Procs {

    /** A generation's line of {@code jcmd GC.heap_info} (serial and parallel collectors). */
    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private Procs() {
    }

    static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** utime + stime of the process in microseconds (clock ticks of 10 ms). */
    static long cpuMicros(long pid) throws IOException {
        long[] times = ProcessCpu.times(Path.of("/proc/" + pid + "/stat"));
        return times[0] + times[1];
    }

    /** CPU of the process's JIT compiler threads in microseconds. */
    static long jitMicros(long pid) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        long[] times = ProcessCpu.times(task.resolve("stat"));
                        sum += times[0] + times[1];
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    /** stime alone: the kernel's share (system calls, and on loopback the receiving side's TCP too). */
    static long sysMicros(long pid) throws IOException {
        return ProcessCpu.times(Path.of("/proc/" + pid + "/stat"))[1];
    }

    /** The gateway's CPU per second without deliveries, its JIT compiler threads left out (as from CPU per delivery). */
    static double idleCpuPerSecond(Gateway g, int seconds) throws IOException {
        long c0 = cpuMicros(g.pid()) - jitMicros(g.pid());
        long t0 = System.nanoTime();
        sleep(seconds * 1000L);
        return (cpuMicros(g.pid()) - jitMicros(g.pid()) - c0) / BenchStack.seconds(t0);
    }

    static long fdCount(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    /** Heap in use right after a full GC, for Serial (sum of generations) and G1. */
    static long heapAfterGcKb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher g1 = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (g1.find()) {
            return Long.parseLong(g1.group(1));
        }
        return generationsUsedKb(info);
    }

    /** The sum of the generations' "used" in a {@code jcmd GC.heap_info} (serial and parallel collectors). */
    static long generationsUsedKb(String heapInfo) {
        long used = 0;
        Matcher m = USED.matcher(heapInfo);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    /**
     * Samples the gateway's running threads with jcmd Thread.print while {@code load} runs: the most frequent
     * top frames of RUNNABLE threads that are not waiting for I/O, i.e. where its CPU goes.
     */
    static void profile(Report report, Gateway g, Runnable load) throws Exception {
        Map<String, Integer> stacks = new HashMap<>();
        int[] samples = { 0 };
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    String dump = jcmd(g.pid(), "Thread.print");
                    samples[0]++;
                    for (String block : dump.split("\n\\s*\n")) {
                        String[] lines = block.trim().split("\n");
                        if (lines.length < 3 || !lines[0].startsWith("\"") || !lines[1].contains("RUNNABLE")
                                || lines[2].contains("epoll") || lines[2].contains("EPoll") || lines[2].contains("accept")
                                || lines[2].contains("socketRead") || lines[2].contains("Thread.print")
                                || lines[2].contains("No compile task") || lines[2].contains("waitForReferencePendingList")
                                || lines[0].contains("Attach Listener")) {
                            continue;
                        }
                        String thread = lines[0].substring(1, lines[0].indexOf('"', 1)).replaceAll("\\d+", "N");
                        // the top frame, then the first callers outside the JDK and Netty's channel plumbing
                        StringBuilder key = new StringBuilder(thread).append("\n      ").append(lines[2].trim());
                        int shown = 0;
                        for (int i = 3; i < Math.min(lines.length, 60) && shown < 5; i++) {
                            String frame = lines[i].trim();
                            if (frame.startsWith("at ") && !frame.matches("at (java|javax|sun|jdk|io\\.netty\\.(channel|util))\\..*")) {
                                key.append("\n      ").append(frame);
                                shown++;
                            }
                        }
                        stacks.merge(key.toString(), 1, Integer::sum);
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }, "sampler");
        sampler.start();
        try {
            load.run();
        } finally {
            running.set(false);
            sampler.join();
        }
        report.line("where the gateway's busy threads were, " + samples[0] + " thread dumps (top frame, then the first 5 callers outside the JDK and Netty channel code; count of dumps):");
        stacks.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
                .forEach(e -> report.line(String.format(Locale.ROOT, "  %4d x %s", e.getValue(), e.getKey())));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
