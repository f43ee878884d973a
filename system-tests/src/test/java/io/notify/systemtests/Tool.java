package io.notify.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A pinned command-line tool from {@code tools/} (the fuzzer, the linter), run as a process whose output is kept in a log. */
record Tool(Path workDir, Map<String, String> env) {

    record Result(int exit, String output) {
    }

    /** Runs {@code tools/<name>/install.sh} (a no-op when installed) and fails the test when it fails. */
    void install(Path repo, String name) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Result install = run(List.of(repo.resolve("tools/" + name + "/install.sh").toString()),
                workDir.resolve("install.log"), 600);
        assertThat(install.exit()).as("tools/" + name + "/install.sh failed:\n" + install.output()).isZero();
    }

    /** Runs {@code command} in {@link #workDir} (stdout and stderr into {@code log}) for at most {@code timeoutSeconds}. */
    Result run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(workDir.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroy();
            throw e;
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
