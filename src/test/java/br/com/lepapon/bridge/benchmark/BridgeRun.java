package br.com.lepapon.bridge.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import br.com.lepapon.bridge.benchmark.BenchmarkFrames.Frame;
import br.com.lepapon.bridge.benchmark.BridgeProcess.HeapUsage;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The phases measured on one bridge process: start-up, a throughput burst, memory, latency at a fixed rate and
 * recovery after a restart of the feed server. Each phase waits for its frames' lines and fails with a
 * {@link BenchmarkFailure} when the bridge exits or stops making progress.
 */
final class BridgeRun implements AutoCloseable {

    /** How long a phase waits without a new line or webhook request before it gives up. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** Longer than the bridge's largest default reconnect delay (60 s), so a slow reconnect is still measured. */
    private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(90);

    private final BridgeProcess bridge;
    private final PlatformSimulator simulator;
    private final FrameTracker tracker;
    private final BenchmarkFrames frames;
    private final LineTailer tailer;
    private final Path dataDir;

    BridgeRun(BridgeProcess bridge, PlatformSimulator simulator, WebhookReceiver receiver, FrameTracker tracker,
            Path dataDir) throws IOException {
        this.bridge = bridge;
        this.simulator = simulator;
        this.tracker = tracker;
        this.frames = new BenchmarkFrames(tracker);
        this.dataDir = dataDir;
        this.tailer = new LineTailer(dataDir, tracker).start();
        receiver.sendRequestsTo(request -> {
            long now = System.nanoTime();
            byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
            tracker.webhook(LineTailer.seqOf(body, 0, body.length), now);
        });
    }

    /** Measures from the process start to its feed connection and to the first event's line. */
    void startup(Measurements results) {
        waitFor("the bridge to connect to the feed", CONNECT_TIMEOUT, () -> simulator.openSockets() > 0);
        long connected = System.nanoTime();
        long line = sendOneAndAwaitLine();
        results.put(Measurements.STARTUP, (line - bridge.startNanos()) / 1e6);
        results.put(Measurements.STARTUP_CONNECTED, (connected - bridge.startNanos()) / 1e6);
    }

    /**
     * Sends {@code count} frames as fast as the simulator takes them and measures events per second from the first
     * frame sent to the last line read. Checks that every frame has exactly one line, in its file and in order,
     * with its message as sent, and waits until every order reached the webhook or the dead-letter file.
     *
     * @param recording where to save a JDK Flight Recorder recording of the burst, or null for none
     * @return the events per second
     */
    double throughput(int count, Measurements results, String throughputKey, String checkKey, Path recording)
            throws IOException {
        Frame[] burst = frames.next(count);
        int from = burst[0].seq();
        int to = from + count;
        if (recording != null && !bridge.startRecording()) {
            results.note("JDK Flight Recorder could not be started with jcmd; no profile");
            recording = null;
        }

        long cpuAtStart = bridge.cpuNanos();
        Map<String, Long> threadTicksAtStart = bridge.cpuTicksByThread();
        long start = System.nanoTime();
        for (Frame frame : burst) {
            simulator.send(frame.text());
        }
        long sent = System.nanoTime();
        awaitLines(from, to);
        long last = tracker.lastLineNanos(from, to);
        if (recording != null && !bridge.stopRecording(recording)) {
            results.note("JDK Flight Recorder could not save the recording with jcmd");
        }

        double eventsPerSecond = count / ((last - start) / 1e9);
        results.put(throughputKey, eventsPerSecond);
        if (throughputKey.equals(Measurements.THROUGHPUT)) {
            results.put(Measurements.THROUGHPUT_SENDING, count / ((sent - start) / 1e9));
        }
        awaitOrdersSettled(from, to);
        long cpuAtEnd = bridge.cpuNanos();
        if (throughputKey.equals(Measurements.THROUGHPUT) && cpuAtStart >= 0 && cpuAtEnd >= 0) {
            results.put(Measurements.THROUGHPUT_CPU, (cpuAtEnd - cpuAtStart) / 1e6 / (count / 1000.0));
            results.note(throughputKey + ": CPU seconds by bridge thread from the first frame sent until every order"
                    + " settled: " + cpuByThread(threadTicksAtStart, bridge.cpuTicksByThread()));
        }
        results.note(String.format("%s: %,d of %,d orders reached the webhook, %,d went to the dead-letter file",
                throughputKey, tracker.webhookRequests(from, to), tracker.orders(from, to),
                tracker.deadLetters(from, to)));
        checkFiles(results, checkKey, burst);
        return eventsPerSecond;
    }

    /** Records the peak RSS, the heap in use, and the live heap after a full garbage collection. */
    void memory(Measurements results, String peakRssKey) {
        bridge.peakRssKiB().ifPresent(kib -> results.put(peakRssKey, kib / 1024.0));
        if (!peakRssKey.equals(Measurements.PEAK_RSS)) {
            return;
        }
        HeapUsage heap = bridge.heapUsage();
        if (heap == null) {
            results.note("jcmd GC.heap_info failed; no heap figures");
            return;
        }
        results.put(Measurements.HEAP_USED, heap.usedKiB() / 1024.0);
        results.put(Measurements.HEAP_COMMITTED, heap.committedKiB() / 1024.0);
        HeapUsage live = bridge.collectGarbage() ? bridge.heapUsage() : null;
        if (live != null) {
            results.put(Measurements.HEAP_LIVE, live.usedKiB() / 1024.0);
        }
    }

    /**
     * Sends {@code rate} frames a second for {@code seconds} seconds, each at its scheduled time, and records the
     * latency from sending each frame to reading its line and, for orders, to its webhook request arriving.
     */
    void latency(int rate, int seconds, Measurements results) throws IOException {
        int count = rate * seconds;
        Frame[] paced = frames.next(count);
        int from = paced[0].seq();
        int to = from + count;
        long begin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long maxLag = 0;

        for (int i = 0; i < count; i++) {
            long due = begin + i * 1_000_000_000L / rate;
            long now = System.nanoTime();
            while (now < due) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            maxLag = Math.max(maxLag, now - due);
            tracker.sent(paced[i].seq(), now);
            simulator.send(paced[i].text());
            if (i % rate == 0) {
                bridge.checkAlive();
            }
        }
        awaitLines(from, to);
        awaitOrdersSettled(from, to);

        results.putLatencies(Measurements.LINE_LATENCY, tracker.lineLatencies(from, to));
        long[] webhook = tracker.webhookLatencies(from, to);
        results.putLatencies(Measurements.WEBHOOK_LATENCY, webhook);
        int dead = tracker.deadLetters(from, to);
        results.note(String.format("latency: %,d frames, %,d orders of which %,d reached the webhook and %,d went to"
                + " the dead-letter file; the sender was at most %.2f ms behind schedule", count,
                tracker.orders(from, to), webhook.length, dead, maxLag / 1e6));
        checkFiles(results, Measurements.CHECK_LATENCY_FILES, paced);
    }

    /**
     * Restarts the feed server (closes its sockets with 1001, stops listening for {@code downtimeSeconds}, listens
     * again) and measures from listening again to the first event's line.
     */
    void recovery(double downtimeSeconds, Measurements results) throws Exception {
        simulator.stopFeed();
        waitFor("the feed sockets to close", CONNECT_TIMEOUT, () -> simulator.openSockets() == 0);
        Thread.sleep((long) (downtimeSeconds * 1000));
        simulator.startFeed();
        long accepting = System.nanoTime();
        waitFor("the bridge to reconnect", RECONNECT_TIMEOUT, () -> simulator.openSockets() > 0);
        long connected = System.nanoTime();
        long line = sendOneAndAwaitLine();
        results.put(Measurements.RECOVERY, (line - accepting) / 1e6);
        results.put(Measurements.RECOVERY_CONNECTED, (connected - accepting) / 1e6);
    }

    /** Lists the thread groups that used the most CPU between two readings, with their seconds. */
    private static String cpuByThread(Map<String, Long> before, Map<String, Long> after) {
        double ticksPerSecond = BridgeProcess.clockTicksPerSecond();
        return after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .map(entry -> String.format("%s %.1f", entry.getKey(), entry.getValue() / ticksPerSecond))
                .collect(Collectors.joining(", "));
    }

    /** Stops the bridge with SIGTERM and notes an exit code other than Java's 143 for it. */
    void stop(Measurements results) throws InterruptedException {
        int exitCode = bridge.stop();
        if (exitCode != 143) {
            results.note("the bridge exited with code " + exitCode + " after SIGTERM");
        }
    }

    @Override
    public void close() throws Exception {
        tailer.close();
        bridge.close();
    }

    private long sendOneAndAwaitLine() {
        Frame frame = frames.next();
        tracker.sent(frame.seq(), System.nanoTime());
        simulator.send(frame.text());
        waitFor("the line of frame " + frame.seq(), STALL_TIMEOUT, () -> tracker.lineNanos(frame.seq()) != 0);
        return tracker.lineNanos(frame.seq());
    }

    /** Waits until every frame in [from, to) has a line, as long as lines keep coming. */
    private void awaitLines(int from, int to) {
        awaitProgress("lines of frames " + from + " to " + (to - 1), tracker::lines,
                () -> tracker.missingLines(from, to) == 0);
    }

    /** Waits until every order in [from, to) reached the webhook or the dead-letter file, as long as some do. */
    private void awaitOrdersSettled(int from, int to) {
        int orders = tracker.orders(from, to);
        awaitProgress("webhook requests or dead letters for the orders of frames " + from + " to " + (to - 1),
                tracker::ordersSettled,
                () -> tracker.webhookRequests(from, to) + tracker.deadLetters(from, to) >= orders);
    }

    private void awaitProgress(String description, java.util.function.IntSupplier progress, BooleanSupplier done) {
        int seen = progress.getAsInt();
        long lastProgress = System.nanoTime();
        while (!done.getAsBoolean()) {
            bridge.checkAlive();
            tailer.checkHealthy();
            int now = progress.getAsInt();
            if (now != seen) {
                seen = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new BenchmarkFailure("Timed out waiting for " + description + ": nothing new for "
                        + STALL_TIMEOUT.toSeconds() + " s");
            }
            sleepMillis(5);
        }
    }

    private void waitFor(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            bridge.checkAlive();
            tailer.checkHealthy();
            if (System.nanoTime() > deadline) {
                throw new BenchmarkFailure("Timed out waiting for " + description + " after " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /**
     * Checks the frames' lines: none missing, duplicated, in the wrong file, out of order or cut short, and each
     * line's message equal to the frame as sent.
     */
    private void checkFiles(Measurements results, String checkKey, Frame[] sent) throws IOException {
        int from = sent[0].seq();
        int to = from + sent.length;
        int missing = tracker.missingLines(from, to);
        int mismatched = countMismatchedMessages(sent);
        int partial = tailer.filesEndingInPartialLine();
        boolean passed = missing == 0 && mismatched == 0 && partial == 0 && tracker.duplicates() == 0
                && tracker.wrongFile() == 0 && tracker.outOfOrder() == 0 && tracker.unexpected() == 0;
        results.check(checkKey, passed, String.format("%s: %d frames without a line, %d lines duplicated, %d in the"
                + " wrong file, %d out of order, %d not from a benchmark frame, %d messages not as sent, %d files"
                + " ending in a partial line", checkKey, missing, tracker.duplicates(), tracker.wrongFile(),
                tracker.outOfOrder(), tracker.unexpected(), mismatched, partial));
    }

    /**
     * Reads every event file and counts the lines that are not valid JSON or belong to a {@code sent} frame but
     * whose message differs from it.
     */
    private int countMismatchedMessages(Frame[] sent) throws IOException {
        int from = sent[0].seq();
        int mismatched = 0;
        for (Path file : LineTailer.eventFiles(dataDir)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    JsonNode parsed = parse(line);
                    if (parsed == null) {
                        mismatched++;
                        continue;
                    }
                    JsonNode message = parsed.path("message");
                    int seq = message.path("seq").asInt(-1);
                    if (seq >= from && seq < from + sent.length
                            && !message.equals(parse(sent[seq - from].text()))) {
                        mismatched++;
                    }
                }
            }
        }
        return mismatched;
    }

    /** Returns the parsed JSON, or null when the text is not valid JSON. */
    private static JsonNode parse(String text) {
        try {
            return EventJson.read(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure("Interrupted");
        }
    }
}
