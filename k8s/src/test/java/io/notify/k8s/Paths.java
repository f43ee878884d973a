package io.notify.k8s;

import java.nio.file.Path;

/** Where the module and the repository are (set by surefire; the working directory as a fallback). */
final class Paths {

    private Paths() {
    }

    static Path k8s() {
        return Path.of(System.getProperty("notify.k8s.dir", ".")).toAbsolutePath().normalize();
    }

    static Path repo() {
        return Path.of(System.getProperty("notify.repo.dir", "..")).toAbsolutePath().normalize();
    }
}
