package br.com.lepapon.bridge;

/**
 * Sizes the bridge's in-memory buffers from the maximum heap, so that they fit a small heap (the Docker image's) as
 * well as a large one. The frames waiting for the routes, the lines waiting for the files and the request bodies
 * waiting for the webhook each take at most a share of the heap, and never more than a fixed ceiling. The default
 * message size limit and the JSON token limit of a frame follow the heap the same way.
 */
public final class HeapShare {

    private HeapShare() {
    }

    /** Returns {@code ceiling}, or the maximum heap divided by {@code divisor} when that is less. */
    public static long of(long ceiling, int divisor) {
        return of(ceiling, divisor, Runtime.getRuntime().maxMemory());
    }

    static long of(long ceiling, int divisor, long maxHeap) {
        if (maxHeap == Long.MAX_VALUE) {
            return ceiling;
        }
        return Math.min(ceiling, maxHeap / divisor);
    }
}
