package io.notify.bench.gateway;

/** One measured scenario of {@link GatewayBench}: runs on the shared {@link Rig} and writes to its {@link Report}. */
abstract class Scenario {

    final Rig rig;
    final Report report;

    Scenario(Rig rig) {
        this.rig = rig;
        this.report = rig.report;
    }
}
