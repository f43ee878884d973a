package io.notify.infra.test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test sets ({@link #now}) and passes to the code under test: time moves only when the test says so. */
public final class MovableClock extends Clock {

    public volatile Instant now;

    public MovableClock() {
        this(Instant.parse("2026-12-06T01:00:00Z"));
    }

    public MovableClock(Instant now) {
        this.now = now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
