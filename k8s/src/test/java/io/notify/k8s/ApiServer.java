package io.notify.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd and kube-apiserver (tools/kube-apiserver: start.sh picks free loopback ports, stop.sh
 * ends both by the PIDs start.sh wrote), and kubectl pointed at it. The binaries are built once per
 * machine by tools/kube-apiserver/build.sh; without them this fails, naming that script.
 */
final class ApiServer implements AutoCloseable {

    /** What a kubectl run printed, and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private final Path run;
    private final Path kubeconfig;

    private ApiServer(Path run, Path kubeconfig) {
        this.run = run;
        this.kubeconfig = kubeconfig;
    }

    /** Where build.sh puts the binaries: $KUBE_APISERVER_DIR, else ~/.cache/kube-apiserver (as the scripts default). */
    static Path binaries() {
        String dir = System.getenv("KUBE_APISERVER_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "kube-apiserver");
    }

    static Path scripts() {
        return Paths.repo().resolve("tools/kube-apiserver");
    }

    static ApiServer start() throws IOException {
        Path bin = binaries();
        for (String name : List.of("etcd", "kube-apiserver")) {
            if (!Files.isExecutable(bin.resolve(name))) {
                throw new IllegalStateException(bin.resolve(name) + " is missing: the API-server test needs etcd and kube-apiserver, "
                        + "built once per machine by 'bash tools/kube-apiserver/build.sh' (this module's build runs it before the tests; a few "
                        + "minutes the first time)");
            }
        }
        Path run = Files.createTempDirectory("notify-kube-apiserver-");
        Result started = exec(run, 120, "bash", scripts().resolve("start.sh").toString(), run.toString(), bin.toString());
        ApiServer server = new ApiServer(run, run.resolve("kubeconfig"));
        if (started.exitCode() != 0) {
            server.close();
            throw new IllegalStateException("kube-apiserver did not start: " + started.describe());
        }
        return server;
    }

    Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return exec(run, 180, command.toArray(String[]::new));
    }

    /** Stops the API server and etcd by their PIDs and removes their data. */
    @Override
    public void close() {
        exec(run, 60, "bash", scripts().resolve("stop.sh").toString(), run.toString());
        try {
            Builds.deleteTree(run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result exec(Path dir, int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
