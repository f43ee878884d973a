package io.notify.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file-system helpers. */
public final class Dirs {

    private Dirs() {
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // removed concurrently (e.g. by a stopping server)
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (NoSuchFileException ignored) {
            // removed concurrently
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir, e);
        }
    }

    /** Best-effort {@link #deleteRecursively}, for shutdown hooks. */
    public static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (RuntimeException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }
}
