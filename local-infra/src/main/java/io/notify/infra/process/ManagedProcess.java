package io.notify.infra.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A child process whose stdout and stderr are appended to a log file, for launchers and black-box tests.
 *
 * <p>Output goes straight to the file (not through a pipe held by this JVM), so the child is not
 * affected when this JVM dies; the child mains of this module exit by themselves in that case.
 * Processes still running when this JVM shuts down normally are stopped by a shutdown hook.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final int KEPT_LINES = 40;
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);
    private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::stopAllRunning, "managed-process-cleanup"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile String readyLine;
    private volatile String stopSignal = "TERM";
    private volatile Duration shutdownGrace = Duration.ofSeconds(10);

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code command} and, if {@code readyLine} is given, waits until a line of its output
     * matches it. On timeout or early exit the process is killed and the exception carries the last
     * lines of output.
     *
     * @param env extra environment variables (nullable); a {@code null} value removes that variable
     * @param readyLine predicate on output lines signalling readiness (nullable: return right after start)
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logFile,
            Predicate<String> readyLine, Duration timeout) {
        return start(name, command, env, null, logFile, readyLine, timeout);
    }

    /** As {@link #start(String, List, Map, Path, Predicate, Duration)}, in working directory {@code workDir} (nullable). */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Path logFile, Predicate<String> readyLine, Duration timeout) {
        Path log = logFile.toAbsolutePath();
        long offset;
        Process process;
        try {
            Files.createDirectories(log.getParent());
            offset = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            if (env != null) {
                env.forEach((key, value) -> {
                    if (value == null) {
                        builder.environment().remove(key);
                    } else {
                        builder.environment().put(key, value);
                    }
                });
            }
            process = builder.start();
            // Never inherit this JVM's stdin (surefire talks to its forks over it); EOF is the child's stdin.
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + command, e);
        }
        ManagedProcess managed = new ManagedProcess(name, process, log);
        RUNNING.add(managed);
        process.onExit().thenRun(() -> RUNNING.remove(managed));
        if (readyLine != null) {
            managed.awaitReadyLine(offset, readyLine, timeout);
        }
        return managed;
    }

    private void awaitReadyLine(long offset, Predicate<String> ready, Duration timeout) {
        Deque<String> lastLines = new ArrayDeque<>();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        long position = offset;
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[8192];
        try (RandomAccessFile in = new RandomAccessFile(logFile.toFile(), "r")) {
            while (true) {
                boolean exited = !process.isAlive();
                in.seek(position);
                int n;
                while ((n = in.read(buffer)) > 0) {
                    position += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != '\n') {
                            partial.write(buffer[i]);
                            continue;
                        }
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        if (lastLines.size() == KEPT_LINES) {
                            lastLines.removeFirst();
                        }
                        lastLines.addLast(line);
                        if (ready.test(line)) {
                            readyLine = line;
                            return;
                        }
                    }
                }
                if (exited) {
                    throw new IllegalStateException(name + " exited with code " + process.exitValue()
                            + " before it was ready; log " + logFile + ", last output:\n" + String.join("\n", lastLines));
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IllegalStateException(name + " not ready within " + timeout + "; killed it. Log "
                            + logFile + ", last output:\n" + String.join("\n", lastLines));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } catch (IOException e) {
            kill();
            throw new UncheckedIOException("Could not read the output of " + name + " from " + logFile, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    /** The output line that matched the ready predicate, or null if none was given. */
    public String readyLine() {
        return readyLine;
    }

    /** The last {@code count} lines of the log file (for diagnostics). */
    public List<String> lastLines(int count) {
        try (RandomAccessFile in = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, in.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return new ArrayList<>(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e + ")");
        }
    }

    /**
     * Stops this process with {@code signal} (e.g. {@code "INT"}) instead of SIGTERM, and gives it {@code grace}
     * (instead of 10 s) when this JVM shuts down. For servers whose clean stop is another signal, as PostgreSQL's
     * fast shutdown is SIGINT (its SIGTERM waits for every client to disconnect).
     */
    public ManagedProcess stopWith(String signal, Duration grace) {
        this.stopSignal = signal;
        this.shutdownGrace = grace;
        return this;
    }

    /**
     * SIGTERM (or the signal given to {@link #stopWith}), wait up to {@code grace}, then SIGKILL.
     * Descendants still alive after the process exited get SIGTERM, then SIGKILL after 2 s.
     */
    public void stop(Duration grace) {
        stopTree(process.toHandle(), stopSignal, grace);
        RUNNING.remove(this);
    }

    /**
     * {@link #stop} for a process this JVM did not start (e.g. a server left running by a crashed run):
     * {@code signal}, wait up to {@code grace}, SIGKILL; then its descendants as in {@link #stop}.
     */
    public static void stopTree(ProcessHandle root, String signal, Duration grace) {
        List<ProcessHandle> descendants = root.descendants().toList();
        long deadline = System.nanoTime() + grace.toNanos();
        terminate(root, signal, deadline);
        for (ProcessHandle descendant : descendants) {
            terminate(descendant, "TERM", Math.max(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(2)));
        }
    }

    /** SIGKILL the process and all its descendants at once, like a crash; waits until the process is gone. */
    public void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        await(process.toHandle(), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        descendants.forEach(d -> await(d, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        RUNNING.remove(this);
    }

    /** {@code stop(20s)}. */
    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    private static void terminate(ProcessHandle handle, String signal, long deadlineNanos) {
        if (!handle.isAlive()) {
            return;
        }
        if ("TERM".equals(signal)) {
            handle.destroy();
        } else {
            signal(handle.pid(), signal);
        }
        if (!await(handle, deadlineNanos)) {
            if (!"TERM".equals(signal)) {
                System.err.println("pid " + handle.pid() + " did not stop in time after SIG" + signal + "; killing it");
            }
            handle.destroyForcibly();
            await(handle, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        }
    }

    /** {@code kill -<signal> <pid>}: the JDK only sends SIGTERM and SIGKILL. */
    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send SIG" + signal + " to " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean await(ProcessHandle handle, long deadlineNanos) {
        try {
            handle.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    private static void stopAllRunning() {
        List<Thread> stoppers = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (ManagedProcess p : RUNNING) {
            Duration grace = p.shutdownGrace;
            Thread t = new Thread(() -> p.stop(grace), "stop-" + p.name);
            t.start();
            stoppers.add(t);
            longest = grace.compareTo(longest) > 0 ? grace : longest;
        }
        // the stoppers run in parallel: the longest grace, plus time for a SIGKILL to take effect
        long deadline = System.nanoTime() + longest.plusSeconds(5).toNanos();
        for (Thread t : stoppers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ---- command-line helpers ----

    /** The {@code java} executable of the running JVM. */
    public static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code <java> -cp <classpath> <mainClass> <args...>}. */
    public static List<String> javaCommand(String classpath, String mainClass, String... args) {
        return javaCommand(List.of(), classpath, mainClass, Arrays.asList(args));
    }

    /** {@code <java> <jvmOptions...> -cp <classpath> <mainClass> <args...>}. */
    public static List<String> javaCommand(List<String> jvmOptions, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** {@code <java> <jvmOptions...> -jar <jar> <args...>}, e.g. for a Quarkus {@code quarkus-run.jar}. */
    public static List<String> javaJarCommand(List<String> jvmOptions, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return command;
    }

    /** The classpath of the running JVM (a surefire manifest-only jar works as a child classpath too). */
    public static String currentClasspath() {
        return System.getProperty("java.class.path");
    }

    @Override
    public String toString() {
        return "ManagedProcess[" + name + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
