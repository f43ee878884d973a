package io.notify.bench.footprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.notify.bench.BenchStack;
import io.notify.bench.ProcessCpu;
import io.notify.infra.process.ManagedProcess;

/**
 * Starts a server process and times it from the spawn to the first 200 from {@code /q/health/ready}, polled
 * every {@code pollMillis}: a plain TCP connect until the port accepts, then the request on the bench's kept-alive
 * HTTP client; then reads the process's CPU time and RSS.
 */
final class Launcher {

    /**
     * A process that answered its first 200: when (nanoseconds after the spawn), its CPU time and RSS then, and the
     * CPU time this (the bench's) process used meanwhile, polling included.
     */
    record Started(ManagedProcess process, URI base, long readyNanos, long cpuMicros, long rssKb, long benchCpuMicros) {
    }

    private final HttpClient http;
    private final long pollNanos;
    private final Duration timeout;

    Launcher(HttpClient http, double pollMillis, Duration timeout) {
        this.http = http;
        this.pollNanos = (long) (pollMillis * 1_000_000);
        this.timeout = timeout;
    }

    /**
     * Starts {@code command} and polls it until ready. {@code spawned} gets the process right after the spawn
     * (to stop it on Ctrl-C) and may throw to kill it at once.
     */
    Started start(String name, List<String> command, Map<String, String> env, Path workDir, Path log, int port,
            Consumer<ManagedProcess> spawned) throws InterruptedException {
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                .build();
        long benchCpu = cpuMicros(ProcessHandle.current().pid());
        long spawn = System.nanoTime();
        ManagedProcess process = ManagedProcess.start(name, command, env, workDir, log, null, timeout);
        try {
            spawned.accept(process);
        } catch (RuntimeException e) {
            process.kill();
            throw e;
        }
        long deadline = spawn + timeout.toNanos();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        boolean listening = false;
        int status = 0;
        while (true) {
            try {
                // a refused TCP connect costs a few µs, a refused HttpClient request ~0.5 ms of the bench's CPU, which
                // the starting process would miss on 2 cores: the client asks only once the port accepts
                listening = listening || accepts(address);
                status = listening ? http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() : -1;
                if (status == 200) {
                    long readyNanos = System.nanoTime() - spawn;
                    return new Started(process, base, readyNanos, cpuMicros(process.pid()), BenchStack.rssKb(process.pid()),
                            cpuMicros(ProcessHandle.current().pid()) - benchCpu);
                }
            } catch (IOException notListeningYet) {
                status = -1;
            }
            boolean alive = process.isAlive();
            if (!alive || System.nanoTime() > deadline) {
                process.kill();
                throw new IllegalStateException(name + (alive ? " not ready within " + timeout : " exited with "
                        + process.process().exitValue()) + " (last status " + status + "); last lines of "
                        + process.logFile() + ":\n" + String.join("\n", process.lastLines(40)));
            }
            LockSupport.parkNanos(pollNanos);
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open()) {
            probe.connect(address);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** utime + stime of the process so far, in microseconds. */
    static long cpuMicros(long pid) {
        try {
            long[] times = ProcessCpu.times(Path.of("/proc/" + pid + "/stat"));
            return times[0] + times[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VmRSS of the process, in KB. */
    /**
     * The shared libraries the process has mapped from outside the system's library folders (for a native
     * executable of this toolchain: the JDK's libjava.so and co. and the libjvm.so shim), by path, with their sizes.
     */
    static Map<Path, Long> foreignLibraries(long pid) {
        Map<Path, Long> libraries = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path file = Path.of(line.substring(slash).trim());
                String name = file.getFileName().toString();
                boolean system = file.startsWith("/lib") || file.startsWith("/usr/lib") || file.startsWith("/lib64")
                        || file.startsWith("/usr/lib64");
                if ((name.endsWith(".so") || name.contains(".so.")) && !system && Files.isRegularFile(file)) {
                    libraries.put(file, Files.size(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return libraries;
    }
}
