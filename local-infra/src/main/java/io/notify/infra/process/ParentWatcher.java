package io.notify.infra.process;

import java.util.Optional;

/** Lets a child-process main exit when the process that started it dies, so no orphan is left behind. */
public final class ParentWatcher {

    private ParentWatcher() {
    }

    /**
     * Starts a daemon thread that calls {@code System.exit(0)} (running the shutdown hooks) once the
     * current parent process is gone. A dead parent shows up as a changed parent PID (re-parenting to
     * init or a subreaper) or as the original parent handle no longer being alive.
     */
    public static void exitWhenParentDies() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        ProcessHandle original = parent.get();
        Thread watcher = new Thread(() -> {
            while (true) {
                long current = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (current != original.pid() || !original.isAlive()) {
                    System.err.println("Parent process " + original.pid() + " is gone; shutting down");
                    System.exit(0);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }
}
