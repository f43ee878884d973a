package io.notify.bench.gateway;

import org.HdrHistogram.Histogram;

/** Summed over the load generators: tagged frames of one group, the last arrival and the latencies. */
record GroupStats(long count, long lastUs, Histogram latency) {
}
