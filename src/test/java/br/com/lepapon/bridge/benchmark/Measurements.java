package br.com.lepapon.bridge.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one run of the benchmark sequence measured: figures by key, checks passed or failed, and notes. */
final class Measurements {

    static final String STARTUP = "startup";
    static final String STARTUP_CONNECTED = "startup.connected";
    static final String THROUGHPUT = "throughput";
    static final String THROUGHPUT_SENDING = "throughput.sending";
    static final String THROUGHPUT_CPU = "throughput.cpu";
    static final String LINE_LATENCY = "line";
    static final String WEBHOOK_LATENCY = "webhook";
    static final String RECOVERY = "recovery";
    static final String RECOVERY_CONNECTED = "recovery.connected";
    static final String PEAK_RSS = "rss.peak";
    static final String HEAP_USED = "heap.used";
    static final String HEAP_COMMITTED = "heap.committed";
    static final String HEAP_LIVE = "heap.live";
    static final String SMALL_HEAP_THROUGHPUT = "small-heap.throughput";
    static final String SMALL_HEAP_PEAK_RSS = "small-heap.rss.peak";

    static final String CHECK_THROUGHPUT_FILES = "check.throughput-files";
    static final String CHECK_LATENCY_FILES = "check.latency-files";
    static final String CHECK_SMALL_HEAP = "check.small-heap";

    /** The percentiles given for each latency, as key suffixes. */
    static final List<String> PERCENTILES = List.of("p50", "p99", "p99.9", "max");

    private final int run;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, Boolean> checks = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Measurements(int run) {
        this.run = run;
    }

    int run() {
        return run;
    }

    void put(String key, double value) {
        values.put(key, value);
    }

    /** Records the p50, p99, p99.9 and max of sorted nanosecond latencies in milliseconds. */
    void putLatencies(String key, long[] sortedNanos) {
        if (sortedNanos.length == 0) {
            return;
        }
        put(key + ".p50", percentile(sortedNanos, 50) / 1e6);
        put(key + ".p99", percentile(sortedNanos, 99) / 1e6);
        put(key + ".p99.9", percentile(sortedNanos, 99.9) / 1e6);
        put(key + ".max", sortedNanos[sortedNanos.length - 1] / 1e6);
    }

    /** Records a check; a failed one also becomes a failure with {@code detail}. */
    void check(String key, boolean passed, String detail) {
        checks.put(key, passed);
        if (!passed) {
            fail(detail);
        }
    }

    void fail(String message) {
        failures.add("run " + run + ": " + message);
    }

    void note(String message) {
        notes.add("run " + run + ": " + message);
    }

    Double value(String key) {
        return values.get(key);
    }

    Boolean checkResult(String key) {
        return checks.get(key);
    }

    long checksPassed() {
        return checks.values().stream().filter(Boolean::booleanValue).count();
    }

    Map<String, Double> values() {
        return values;
    }

    List<String> failures() {
        return failures;
    }

    List<String> notes() {
        return notes;
    }

    /** Returns the nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
