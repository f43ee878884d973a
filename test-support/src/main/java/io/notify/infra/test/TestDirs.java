package io.notify.infra.test;

import io.notify.infra.Dirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Temp directories owned by one test JVM, and cleanup of those left behind by JVMs that died. */
final class TestDirs {

    private static final String OWNER_FILE = "owner.pid";

    private TestDirs() {
    }

    /** A new temp directory {@code <tmp>/<prefix>NNN} marked with this JVM's PID. */
    static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.writeString(dir.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes {@code <tmp>/<prefix>*} directories whose owning JVM is gone, after handing each to
     * {@code beforeDelete} (e.g. to stop a server still running on it). Best effort.
     */
    static void cleanupOrphans(String prefix, Consumer<Path> beforeDelete) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(owner).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                beforeDelete.accept(dir);
                Dirs.deleteQuietly(dir);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not clean up old " + prefix + " directories: " + e);
        }
    }
}
