package io.notify.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time of every process on the machine, summed by what it is (notification-service, gateway,
 * PostgreSQL, Kafka, load generators, this bench, other): where the two cores go during a phase.
 * Read from {@code /proc/<pid>/stat} (utime + stime) and classified by command line; a process that
 * starts or ends within the phase counts only for the part both snapshots saw.
 */
public final class ProcessCpu {

    private final Map<Long, Long> micros;
    private final Map<Long, String> kinds;
    private final long nanos = System.nanoTime();

    private ProcessCpu(Map<Long, Long> micros, Map<Long, String> kinds) {
        this.micros = micros;
        this.kinds = kinds;
    }

    public static ProcessCpu snapshot() {
        Map<Long, Long> micros = new TreeMap<>();
        Map<Long, String> kinds = new TreeMap<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    long[] times = times(p.resolve("stat"));
                    long pid = Long.parseLong(name);
                    micros.put(pid, times[0] + times[1]);
                    kinds.put(pid, kind(pid, new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: an empty snapshot
        }
        return new ProcessCpu(micros, kinds);
    }

    /**
     * utime and stime in microseconds (clock ticks of 10 ms) from a {@code /proc/<pid>/stat},
     * {@code /proc/<pid>/task/<tid>/stat} or {@code /proc/thread-self/stat} file.
     */
    public static long[] times(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return new long[] { Long.parseLong(f[11]) * 10_000L, Long.parseLong(f[12]) * 10_000L };
    }

    private static String kind(long pid, String cmdline) {
        if (pid == ProcessHandle.current().pid()) {
            return "bench";
        }
        if (cmdline.contains("notification-service")) {
            return "notification-service";
        }
        if (cmdline.contains("gateway-service")) {
            return "gateway";
        }
        if (cmdline.startsWith("postgres")) {
            return "PostgreSQL";
        }
        if (cmdline.contains("KafkaBrokerMain")) {
            return "Kafka";
        }
        if (cmdline.contains("LoadGen")) {
            return "load generators";
        }
        return "other";
    }

    /** "notification-service 0.58, PostgreSQL 0.56, ... cores" since {@code before}, largest first. */
    public String since(ProcessCpu before) {
        double seconds = (nanos - before.nanos) / 1e9;
        return byKind(before).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e6 / seconds))
                .collect(Collectors.joining(", ")) + " cores";
    }

    /** "notification-service 0.58 cores, 1,234 µs per request; ..." since {@code before}, largest first. */
    public String since(ProcessCpu before, long operations, String operation) {
        double seconds = (nanos - before.nanos) / 1e9;
        return byKind(before).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f cores, %,.0f µs per %s", e.getKey(),
                        e.getValue() / 1e6 / seconds, (double) e.getValue() / Math.max(1, operations), operation))
                .collect(Collectors.joining("; "));
    }

    /** CPU microseconds per kind of process since {@code before}, largest first. */
    private Map<String, Long> byKind(ProcessCpu before) {
        Map<String, Long> byKind = new TreeMap<>();
        micros.forEach((pid, now) -> {
            Long then = before.micros.get(pid);
            if (then != null && kinds.get(pid).equals(before.kinds.get(pid))) {
                byKind.merge(kinds.get(pid), now - then, Long::sum);
            }
        });
        Map<String, Long> sorted = new java.util.LinkedHashMap<>();
        byKind.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
