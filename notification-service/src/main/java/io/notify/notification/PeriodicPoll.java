package io.notify.notification;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;

/**
 * A poll every {@code every} on a Vert.x timer, each run on a worker, a run still going when the timer fires again not
 * doubled. For polls finer than a second: Quarkus's own scheduler checks its triggers once a second.
 */
public final class PeriodicPoll {

    private final Vertx vertx;
    private final long timer;

    private PeriodicPoll(Vertx vertx, Duration every, Runnable run) {
        this.vertx = vertx;
        long millis = Math.max(1, every.toMillis());
        AtomicBoolean polling = new AtomicBoolean();
        this.timer = vertx.setPeriodic(millis, millis, id -> {
            if (polling.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    try {
                        run.run();
                    } finally {
                        polling.set(false);
                    }
                    return null;
                }, false);
            }
        });
    }

    public static PeriodicPoll start(Vertx vertx, Duration every, Runnable run) {
        return new PeriodicPoll(vertx, every, run);
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
