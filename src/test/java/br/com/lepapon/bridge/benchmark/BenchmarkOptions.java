package br.com.lepapon.bridge.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's command-line options. {@code --smoke} switches to small defaults that only check that the
 * benchmark still works; options given with it override those defaults.
 *
 * @param frames              frames in each throughput burst
 * @param rate                frames per second in the latency phase
 * @param durationSeconds     length of the latency phase
 * @param repeats             how many times the whole sequence runs, each with new bridge processes
 * @param jvmOptions          options of the bridge JVM, by default JAVA_TOOL_OPTIONS in the Dockerfile
 * @param smallHeapRun        whether a second bridge runs the throughput burst with {@code -Xmx128m} added
 * @param profile             whether the first throughput burst is recorded with JDK Flight Recorder
 * @param reconnectDelay      the bridge's {@code WS_RECONNECT_DELAY} in seconds, or null for its default
 * @param restartDowntime     seconds the feed server stays down in the recovery phase
 * @param output              the Markdown file the results go to
 * @param keepData            whether the bridges' data folders are kept after the run
 * @param bridgeEnvironment   extra environment variables of the bridge, such as LOG_LEVEL
 */
record BenchmarkOptions(boolean smoke, int frames, int rate, int durationSeconds, int repeats, List<String> jvmOptions,
        boolean smallHeapRun, boolean profile, String reconnectDelay, double restartDowntime, Path output,
        boolean keepData, Map<String, String> bridgeEnvironment) {

    /** The Dockerfile's {@code JAVA_TOOL_OPTIONS="..."}, the JVM options of the Docker image. */
    private static final Pattern DOCKER_JVM_OPTIONS = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"");

    /** Settings the benchmark sets itself: every host and URL stays on the loopback servers it starts. */
    private static final Set<String> FIXED_SETTINGS = Set.of("WS_URL", "WS_FALLBACK_URL",
            "WS_CONNECTION_INFO_ENDPOINT", "WS_TOKEN_ENDPOINT", "WEBHOOK_URL", "MANAGEMENT_HOST", "MANAGEMENT_PORT",
            "DATA_DIR", "WS_RECONNECT_DELAY");

    static final String USAGE = """
            Usage: bench/run [--no-build] [options]
              --smoke                 a run of a few seconds that only checks that the benchmark works:
                                      2,000 frames, 200 frames/s for 2 s, WS_RECONNECT_DELAY=0.5
              --frames N              frames in the throughput burst (default 200000)
              --rate N                frames per second in the latency phase (default 1000)
              --duration S            seconds of the latency phase (default 60)
              --repeats N             runs of the whole sequence; the table gives median and spread (default 1)
              --jvm-options "..."     options of the bridge JVM (default: JAVA_TOOL_OPTIONS in the
                                      Dockerfile)
              --no-small-heap         skip the second throughput burst with -Xmx128m
              --profile               record the first throughput burst with JDK Flight Recorder and list the
                                      hottest methods
              --reconnect-delay S     the bridge's WS_RECONNECT_DELAY in seconds (default: the bridge's, 5)
              --restart-downtime S    seconds the feed server stays down in the recovery phase (default 1)
              --out FILE              the Markdown results file (default target/benchmark/results.md,
                                      target/benchmark/smoke.md with --smoke)
              --keep-data             keep the bridges' data folders under target/benchmark/runs
              --bridge-env NAME=VALUE an environment variable of the bridge, for example LOG_LEVEL=WARN; may be
                                      repeated. The URLs, hosts, ports and DATA_DIR are the benchmark's own.
            """;

    static BenchmarkOptions parse(String... args) {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        int frames = smoke ? 2_000 : 200_000;
        int rate = smoke ? 200 : 1_000;
        int duration = smoke ? 2 : 60;
        int repeats = 1;
        List<String> jvmOptions = null;
        boolean smallHeap = true;
        boolean profile = false;
        String reconnectDelay = smoke ? "0.5" : null;
        double downtime = smoke ? 0.2 : 1;
        Path output = Path.of("target", "benchmark", smoke ? "smoke.md" : "results.md");
        boolean keepData = false;
        Map<String, String> environment = new LinkedHashMap<>();

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--smoke" -> {
                }
                case "--frames" -> frames = positiveInt(option, value(args, ++i, option));
                case "--rate" -> rate = positiveInt(option, value(args, ++i, option));
                case "--duration" -> duration = positiveInt(option, value(args, ++i, option));
                case "--repeats" -> repeats = positiveInt(option, value(args, ++i, option));
                case "--jvm-options" -> jvmOptions = splitOptions(value(args, ++i, option));
                case "--no-small-heap" -> smallHeap = false;
                case "--profile" -> profile = true;
                case "--reconnect-delay" -> {
                    reconnectDelay = value(args, ++i, option);
                    positiveSeconds(option, reconnectDelay);
                }
                case "--restart-downtime" -> downtime = positiveSeconds(option, value(args, ++i, option));
                case "--out" -> output = Path.of(value(args, ++i, option));
                case "--keep-data" -> keepData = true;
                case "--bridge-env" -> addSetting(environment, value(args, ++i, option));
                default -> throw new IllegalArgumentException("Unknown option '" + option + "'");
            }
        }
        if (jvmOptions == null) {
            jvmOptions = dockerJvmOptions(Path.of("Dockerfile"));
        }
        return new BenchmarkOptions(smoke, frames, rate, duration, repeats, jvmOptions, smallHeap, profile,
                reconnectDelay, downtime, output, keepData, Map.copyOf(environment));
    }

    /** Frames sent in the latency phase. */
    int latencyFrames() {
        return rate * durationSeconds;
    }

    /**
     * Returns the JVM options that the Dockerfile sets in {@code JAVA_TOOL_OPTIONS}, so that the benchmark measures
     * the image's settings without a copy of them to keep in step.
     *
     * @throws IllegalArgumentException when the Dockerfile cannot be read or sets no {@code JAVA_TOOL_OPTIONS="..."}
     */
    static List<String> dockerJvmOptions(Path dockerfile) {
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new IllegalArgumentException("Could not read " + dockerfile.toAbsolutePath() + " for the default"
                    + " JVM options (" + e + "); run bench/run from the project folder or give --jvm-options");
        }
        Matcher matcher = DOCKER_JVM_OPTIONS.matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException(dockerfile.toAbsolutePath() + " sets no JAVA_TOOL_OPTIONS=\"...\" for"
                    + " the default JVM options; give --jvm-options");
        }
        return splitOptions(matcher.group(1));
    }

    private static void addSetting(Map<String, String> environment, String assignment) {
        int equals = assignment.indexOf('=');
        if (equals < 1) {
            throw new IllegalArgumentException("Invalid --bridge-env '" + assignment + "': expected NAME=VALUE");
        }
        String name = assignment.substring(0, equals);
        if (FIXED_SETTINGS.contains(name)) {
            throw new IllegalArgumentException("Invalid --bridge-env " + name + ": the benchmark sets it itself"
                    + (name.equals("WS_RECONNECT_DELAY") ? "; use --reconnect-delay" : ""));
        }
        environment.put(name, assignment.substring(equals + 1));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + option);
        }
        return args[index];
    }

    private static int positiveInt(String option, String text) {
        try {
            int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException("Invalid " + option + " '" + text + "': expected a whole number above 0");
    }

    private static double positiveSeconds(String option, String text) {
        try {
            double value = Double.parseDouble(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException("Invalid " + option + " '" + text + "': expected seconds above 0");
    }

    private static List<String> splitOptions(String text) {
        List<String> options = new ArrayList<>();
        for (String option : text.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return List.copyOf(options);
    }
}
