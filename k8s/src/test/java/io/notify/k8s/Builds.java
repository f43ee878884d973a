package io.notify.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds an overlay the way a user does: a copy of k8s/ whose overlay gets its secrets/ folder from
 * make-secrets.sh (the documented command), then {@code kubectl kustomize}. Once per overlay per JVM.
 */
final class Builds {

    record Build(String overlay, String yaml, List<ObjectNode> documents, Manifest manifest, List<String> bindingViolations) {
    }

    private static final Map<String, Build> BUILDS = new ConcurrentHashMap<>();

    private Builds() {
    }

    static Build of(String overlay) {
        return BUILDS.computeIfAbsent(overlay, Builds::build);
    }

    private static Build build(String overlay) {
        try {
            Path copy = Files.createTempDirectory("notify-k8s-");
            Path overlayDir = prepare(overlay, copy);
            String yaml = Kustomize.build(overlayDir);
            deleteTree(copy);
            List<ObjectNode> docs = Documents.parse(yaml);
            ModelBinding.Result bound = ModelBinding.bind(docs);
            return new Build(overlay, yaml, docs, new Manifest(bound.resources()), bound.violations());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies k8s/ into {@code copy} and gives the overlay throw-away secrets from make-secrets.sh
     * (never the developer's own); returns the overlay's folder in the copy.
     */
    static Path prepare(String overlay, Path copy) throws IOException {
        for (String part : List.of("base", "components", "overlays", "make-secrets.sh")) {
            copyTree(Paths.k8s().resolve(part), copy.resolve(part));
        }
        Path overlayDir = copy.resolve("overlays").resolve(overlay);
        deleteTree(overlayDir.resolve("secrets"));
        run(copy, "bash", copy.resolve("make-secrets.sh").toString(), overlayDir.toString());
        return overlayDir;
    }

    static void run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.toString().contains("/secrets/")) {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
