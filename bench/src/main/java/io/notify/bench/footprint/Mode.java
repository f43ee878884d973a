package io.notify.bench.footprint;

/** How a service runs: its packaged jar on a JVM, or its native executable. */
enum Mode {

    JVM("JVM"),
    NATIVE("native");

    final String label;

    Mode(String label) {
        this.label = label;
    }
}
