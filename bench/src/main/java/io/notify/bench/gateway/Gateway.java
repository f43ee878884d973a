package io.notify.bench.gateway;

import io.notify.infra.process.ManagedProcess;

/** A packaged gateway instance. */
record Gateway(String name, int port, ManagedProcess process) {
    long pid() {
        return process.pid();
    }
}
