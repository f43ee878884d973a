package io.notify.bench.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.notify.bench.BenchStack;
import io.notify.bench.footprint.Service;

/** {@link GatewayBench}'s command line (see its javadoc). */
record Options(int sockets, int fanout, int reps, int warmupReps, int sustainSeconds, int burst, int e2eRate,
        int e2eSeconds, int e2eLowRate, int e2eLowSeconds, int scaleGateways, int perLoadGen, String gatewayHeap,
        int broadcastReps, int soakMinutes, int soakRate, String gatewayGc, String serviceJvm, String heapDump,
        boolean memoryOnly, String gatewayNative, Acks acks, int ackDelayMs, boolean coldOnly, String serviceNative,
        int connectRate, boolean profile) {

    /** {@code --acks}: clients acknowledge nothing, everything, or the fan-out and e2e figures are measured both ways in one run. */
    enum Acks {
        OFF, ON, COMPARE
    }

    /**
     * The gateway's JVM flags as its image runs it ({@link Service#imageJvmFlags}: read from
     * gateway-service/src/main/docker/Dockerfile.jvm each run), comma-separated, after {@code -Xmx<gateway-heap>}.
     */
    static String gatewayImageJvm() {
        try {
            return String.join(",", Service.GATEWAY.imageJvmFlags(BenchStack.repoRoot()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Options parse(String[] args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Unknown argument " + args[i] + "; see GatewayBench's javadoc");
            }
            v.put(args[i].substring(2), args[++i]);
        }
        Options o = new Options(num(v, "sockets", 19_500), num(v, "fanout", 10_000), num(v, "reps", 30),
                num(v, "warmup-reps", 5), num(v, "sustain-seconds", 15), num(v, "burst", 20),
                num(v, "e2e-rate", 1000), num(v, "e2e-seconds", 15), num(v, "e2e-low-rate", 100),
                num(v, "e2e-low-seconds", 20), num(v, "scale-gateways", 5), num(v, "per-loadgen", 17_000),
                v.getOrDefault("gateway-heap", "1g"), num(v, "broadcast-reps", 5), num(v, "soak-minutes", 0),
                num(v, "soak-rate", 500), v.containsKey("gateway-gc") ? v.get("gateway-gc") : gatewayImageJvm(),
                v.getOrDefault("service-jvm", "-Xmx512m"), v.getOrDefault("heap-dump", ""),
                num(v, "memory-only", 0) != 0, v.getOrDefault("gateway-native", ""), acks(v.getOrDefault("acks", "off")),
                num(v, "ack-delay-ms", 0), num(v, "cold-only", 0) != 0, v.getOrDefault("service-native", ""),
                num(v, "connect-rate", 0), num(v, "profile", 0) != 0);
        v.keySet().removeAll(Set.of("sockets", "fanout", "reps", "warmup-reps", "sustain-seconds", "burst",
                "e2e-rate", "e2e-seconds", "e2e-low-rate", "e2e-low-seconds", "scale-gateways", "per-loadgen", "gateway-heap", "broadcast-reps",
                "soak-minutes", "soak-rate", "gateway-gc", "service-jvm", "heap-dump", "memory-only", "gateway-native", "acks",
                "ack-delay-ms", "cold-only", "service-native", "connect-rate", "profile"));
        if (!v.isEmpty()) {
            throw new IllegalArgumentException("Unknown options " + v.keySet() + "; see GatewayBench's javadoc");
        }
        if (o.isNative() && !o.memoryOnly() && !o.coldOnly()) {
            throw new IllegalArgumentException("--gateway-native measures memory or the cold path only: add --memory-only 1 "
                    + "or --cold-only 1");
        }
        if (!o.serviceNative().isEmpty() && !o.coldOnly()) {
            throw new IllegalArgumentException("--service-native measures the cold path only: add --cold-only 1");
        }
        return o;
    }

    boolean isNative() {
        return !gatewayNative.isEmpty();
    }

    private static Acks acks(String s) {
        return switch (s) {
            case "off" -> Acks.OFF;
            case "on" -> Acks.ON;
            case "compare" -> Acks.COMPARE;
            default -> throw new IllegalArgumentException("--acks is off, on or compare, not " + s);
        };
    }

    private static int num(Map<String, String> v, String key, int fallback) {
        String s = v.get(key);
        return s == null ? fallback : Integer.parseInt(s.replace("_", ""));
    }
}
