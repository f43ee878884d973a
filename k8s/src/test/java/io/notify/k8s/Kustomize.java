package io.notify.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code kubectl kustomize}: the same build {@code kubectl apply -k} performs, without a cluster. */
final class Kustomize {

    private Kustomize() {
    }

    /** The rendered multi-document YAML of one kustomization directory. */
    static String build(Path dir) {
        ProcessBuilder builder = new ProcessBuilder(List.of("kubectl", "kustomize", dir.toString()))
                .redirectErrorStream(false);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is not on the PATH: the manifest checks need kubectl (it embeds "
                    + "kustomize), e.g. 'apt-get install kubectl' or https://kubernetes.io/docs/tasks/tools/", e);
        }
        try {
            process.getOutputStream().close();
            // read both streams fully before waiting: a large build would otherwise fill the pipe
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new KustomizeException("kubectl kustomize " + dir + " failed: "
                        + new String(stderr, StandardCharsets.UTF_8).trim());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static final class KustomizeException extends RuntimeException {
        KustomizeException(String message) {
            super(message);
        }
    }
}
