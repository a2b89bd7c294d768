package br.com.lepapon.bridge.benchmark;

/** A phase of the benchmark could not be measured: the bridge exited, or something timed out. */
final class BenchmarkFailure extends RuntimeException {

    BenchmarkFailure(String message) {
        super(message);
    }
}
