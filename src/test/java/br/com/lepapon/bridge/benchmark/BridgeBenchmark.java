package br.com.lepapon.bridge.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;

/**
 * Measures the packaged bridge as production runs it: a separate JVM started with {@code java -jar
 * target/lepapon-bridge.jar} and the default routes, fed by the platform simulator and posting to the webhook
 * receiver, both in this JVM on 127.0.0.1. Each run starts a bridge and measures start-up, a throughput burst,
 * memory, latency at a fixed rate and recovery after a feed server restart, then starts a second bridge with
 * {@code -Xmx128m} for the same burst. Run it with {@code bench/run}; {@code bench/run --help} lists the options.
 *
 * <p>Exits with 0 when every phase completed and every check passed, 1 when not, 2 for invalid options. The
 * targets in the table are not checks.
 */
public final class BridgeBenchmark {

    /** Invented credentials: the simulator accepts any API key, and the secret only signs local requests. */
    private static final String API_KEY = "benchmark-invented-api-key";
    private static final String WEBHOOK_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("lepapon benchmark invented secret".getBytes(StandardCharsets.UTF_8));
    /** Extra frames per bridge beyond the burst and latency phase: start-up and recovery send one each. */
    private static final int SPARE_FRAMES = 1_000;

    private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";

    private final BenchmarkOptions options;
    /** The options' JVM options, with a class data sharing archive of the Docker image replaced by a local one. */
    private List<String> bridgeJvmOptions;
    private final Path projectDir = Path.of("").toAbsolutePath();
    private final Path runsDir = projectDir.resolve("target/benchmark/runs");

    private BridgeBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new BridgeBenchmark(options).run(String.join(" ", args)));
    }

    private int run(String arguments) throws Exception {
        Path jar = projectDir.resolve("target/lepapon-bridge.jar");
        if (!Files.exists(jar) || !Files.isDirectory(projectDir.resolve("routes"))) {
            System.err.println("Missing " + jar + " or routes/: run bench/run from the project folder, without"
                    + " --no-build, or mvn -DskipTests package first");
            return 2;
        }
        deleteRecursively(runsDir);
        Files.createDirectories(runsDir);
        bridgeJvmOptions = withLocalClassArchive(options.jvmOptions(), jar);
        String started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx"));
        String loadAtStart = ResultsReport.loadAverage();
        System.out.println("Benchmarking target/lepapon-bridge.jar on " + ResultsReport.machine());

        List<Measurements> runs = new ArrayList<>();
        try (PlatformSimulator simulator = new PlatformSimulator().start(0, 0);
                WebhookReceiver receiver = new WebhookReceiver().start(0)) {
            for (int run = 1; run <= options.repeats(); run++) {
                Measurements results = new Measurements(run);
                runs.add(results);
                measureMainBridge(run, simulator, receiver, results);
                if (options.smallHeapRun()) {
                    measureSmallHeapBridge(run, simulator, receiver, results);
                }
            }
        }

        String command = "bench/run" + (arguments.isEmpty() ? "" : " " + arguments);
        ResultsReport report = new ResultsReport(options, command, started, loadAtStart, ResultsReport.loadAverage(),
                runs);
        System.out.println();
        System.out.print(report.format());
        report.write(options.output());
        System.out.println("\nResults written to " + options.output());
        long passed = runs.stream().mapToLong(Measurements::checksPassed).sum();
        long failed = runs.stream().mapToLong(run -> run.failures().size()).sum();
        System.out.println("Checks: " + passed + " passed, " + failed + " failed");
        return failed > 0 ? 1 : 0;
    }

    /**
     * Replaces {@code -XX:SharedArchiveFile=} with an archive that this benchmark writes for the local jar, the way the
     * Docker image writes its own at build time (src/main/docker/cds-archive.sh), because an archive only serves the
     * jar and JVM it was written with.
     */
    private List<String> withLocalClassArchive(List<String> jvmOptions, Path jar) throws Exception {
        if (jvmOptions.stream().noneMatch(option -> option.startsWith(SHARED_ARCHIVE))) {
            return jvmOptions;
        }
        Path archive = projectDir.resolve("target/benchmark/lepapon-bridge.jsa");
        System.out.println("Writing the class data sharing archive as the Docker image build does: "
                + "src/main/docker/cds-archive.sh target/lepapon-bridge.jar " + projectDir.relativize(archive));
        Process process = new ProcessBuilder("sh", "src/main/docker/cds-archive.sh", jar.toString(), archive.toString())
                .directory(projectDir.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("src/main/docker/cds-archive.sh failed with exit code "
                    + process.exitValue());
        }
        return jvmOptions.stream()
                .map(option -> option.startsWith(SHARED_ARCHIVE) ? SHARED_ARCHIVE + archive : option)
                .toList();
    }

    /** Runs start-up, the burst, memory, latency and recovery on one bridge with the configured JVM options. */
    private void measureMainBridge(int run, PlatformSimulator simulator, WebhookReceiver receiver,
            Measurements results) throws Exception {
        Path dir = runsDir.resolve("run-" + run);
        boolean profile = options.profile() && run == 1;
        List<String> jvmOptions = new ArrayList<>(bridgeJvmOptions);
        if (profile) {
            // Camel's stacks are deep, and JFR keeps only 64 frames of each by default.
            jvmOptions.add("-XX:FlightRecorderOptions:stackdepth=512");
        }
        int capacity = options.frames() + options.latencyFrames() + SPARE_FRAMES;
        progress(run, "starting the bridge: java " + String.join(" ", jvmOptions) + " -jar target/lepapon-bridge.jar");
        try (BridgeRun bridge = startBridge(dir, jvmOptions, simulator, receiver, capacity)) {
            try {
                bridge.startup(results);
                progress(run, String.format("started in %.0f ms; sending %,d frames", results.value(
                        Measurements.STARTUP), options.frames()));
                Path recording = profile ? dir.resolve("throughput.jfr") : null;
                bridge.throughput(options.frames(), results, Measurements.THROUGHPUT,
                        Measurements.CHECK_THROUGHPUT_FILES, recording);
                progress(run, String.format("%,.0f events/s; measuring memory", results.value(Measurements.THROUGHPUT)));
                bridge.memory(results, Measurements.PEAK_RSS);
                if (recording != null && Files.exists(recording)) {
                    summarizeProfile(run, recording, results);
                }
                progress(run, String.format("sending %,d frames/s for %d s", options.rate(), options.durationSeconds()));
                bridge.latency(options.rate(), options.durationSeconds(), results);
                progress(run, String.format("restarting the feed server, down for %s s", options.restartDowntime()));
                bridge.recovery(options.restartDowntime(), results);
                bridge.stop(results);
            } catch (BenchmarkFailure e) {
                results.fail(e.getMessage());
                progress(run, "failed: " + e.getMessage());
            }
        }
        cleanUp(dir.resolve("data"));
    }

    /** Runs the burst again on a new bridge whose heap is limited to 128 MiB. */
    private void measureSmallHeapBridge(int run, PlatformSimulator simulator, WebhookReceiver receiver,
            Measurements results) throws Exception {
        Path dir = runsDir.resolve("run-" + run + "-xmx128m");
        List<String> jvmOptions = new ArrayList<>(bridgeJvmOptions);
        jvmOptions.add("-Xmx128m");
        progress(run, String.format("starting a bridge with -Xmx128m for a burst of %,d frames", options.frames()));
        try (BridgeRun bridge = startBridge(dir, jvmOptions, simulator, receiver,
                options.frames() + SPARE_FRAMES)) {
            try {
                bridge.startup(new Measurements(run));
                bridge.throughput(options.frames(), results, Measurements.SMALL_HEAP_THROUGHPUT,
                        Measurements.CHECK_SMALL_HEAP, null);
                bridge.memory(results, Measurements.SMALL_HEAP_PEAK_RSS);
                progress(run, String.format("-Xmx128m: %,.0f events/s",
                        results.value(Measurements.SMALL_HEAP_THROUGHPUT)));
                bridge.stop(results);
            } catch (BenchmarkFailure e) {
                results.check(Measurements.CHECK_SMALL_HEAP, false, "-Xmx128m: " + e.getMessage());
                progress(run, "-Xmx128m run failed: " + e.getMessage());
            }
        }
        cleanUp(dir.resolve("data"));
    }

    private BridgeRun startBridge(Path dir, List<String> jvmOptions, PlatformSimulator simulator,
            WebhookReceiver receiver, int capacity) throws IOException {
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir);
        BridgeProcess process = BridgeProcess.start(projectDir, jvmOptions, settings(simulator, receiver, dataDir),
                dir.resolve("bridge.log"));
        try {
            return new BridgeRun(process, simulator, receiver, new FrameTracker(capacity), dataDir);
        } catch (IOException | RuntimeException e) {
            try {
                process.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /**
     * Returns the bridge's environment: every URL on the simulator or the receiver on 127.0.0.1 (the fallback
     * and connection-info URLs too, so that nothing points at the real platform), a free management port, and
     * invented credentials.
     */
    private Map<String, String> settings(PlatformSimulator simulator, WebhookReceiver receiver, Path dataDir)
            throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("WS_URL", simulator.feedUrl());
        settings.put("WS_FALLBACK_URL", simulator.feedUrl());
        settings.put("WS_CONNECTION_INFO_ENDPOINT", simulator.connectionInfoEndpoint());
        settings.put("WS_TOKEN_ENDPOINT", simulator.tokenEndpoint());
        settings.put("WS_TOKEN_API_KEY", API_KEY);
        settings.put("DATA_DIR", dataDir.toString());
        settings.put("WEBHOOK_URL", receiver.url());
        settings.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
        settings.put("MANAGEMENT_HOST", "127.0.0.1");
        settings.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        if (options.reconnectDelay() != null) {
            settings.put("WS_RECONNECT_DELAY", options.reconnectDelay());
        }
        settings.putAll(options.bridgeEnvironment());
        return settings;
    }

    private void summarizeProfile(int run, Path recording, Measurements results) throws IOException {
        String summary = ProfileSummary.summarize(recording, 25);
        Path file = recording.resolveSibling("throughput-profile.txt");
        Files.writeString(file, summary);
        results.note("profile of the burst: " + projectDir.relativize(recording.toAbsolutePath())
                + ", hottest methods in " + projectDir.relativize(file.toAbsolutePath()));
        progress(run, "profile of the burst:\n" + summary);
    }

    private void cleanUp(Path dataDir) throws IOException {
        if (!options.keepData()) {
            deleteRecursively(dataDir);
        }
    }

    private static void progress(int run, String message) {
        System.out.println("[run " + run + "] " + message);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
