package br.com.lepapon.bridge.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bridge as production runs it: {@code java [options] -jar target/lepapon-bridge.jar} in its own JVM, started
 * from the project folder (for routes/ and application.properties), configured only through environment
 * variables, with its output in a log file. Every process started here is ended when the benchmark's JVM exits,
 * also after a failure or Ctrl-C; a {@code kill -9} of the benchmark leaves it running.
 */
final class BridgeProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Pattern HEAP_LINE = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "benchmark-bridge-killer"));
    }

    private final Process process;
    private final long startNanos;
    private final Path logFile;

    private BridgeProcess(Process process, long startNanos, Path logFile) {
        this.process = process;
        this.startNanos = startNanos;
        this.logFile = logFile;
    }

    /**
     * Starts the bridge with a clean environment: only PATH, HOME, LANG and {@code settings}, so that no setting of
     * the calling shell can point it at another host.
     */
    static BridgeProcess start(Path projectDir, List<String> jvmOptions, Map<String, String> settings, Path logFile)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaTool("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(projectDir.resolve("target/lepapon-bridge.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = Map.copyOf(environment);
        environment.clear();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            if (inherited.containsKey(name)) {
                environment.put(name, inherited.get(name));
            }
        }
        environment.putAll(settings);
        long startNanos = System.nanoTime();
        Process process = builder.start();
        RUNNING.add(process);
        return new BridgeProcess(process, startNanos, logFile);
    }

    long startNanos() {
        return startNanos;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Throws when the bridge has exited, naming its exit code and log file. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new BenchmarkFailure("The bridge exited with code " + process.exitValue() + "; see " + logFile);
        }
    }

    /** Returns the CPU time the bridge has used so far, user and system, in nanoseconds, or -1 when unknown. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Returns the CPU time, user and system, in clock ticks that each thread group of the bridge has used so far,
     * from /proc/PID/task/TID/stat. Threads whose names differ only in a trailing number or {@code #number} (GC
     * Thread#0, webhook-sender-2) form one group. Linux cuts thread names to 15 characters.
     */
    Map<String, Long> cpuTicksByThread() {
        Map<String, Long> ticks = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid()), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException e) {
                    continue; // The thread ended.
                }
                int nameEnd = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, nameEnd).replaceAll("[#-]*\\d*$", "");
                // After the name: state, then 10 more fields, then utime and stime (fields 14 and 15 of proc(5)).
                String[] fields = stat.substring(nameEnd + 2).split(" ");
                ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        } catch (IOException e) {
            // The process has exited, or this is not Linux.
        }
        return ticks;
    }

    /** Returns the peak resident set size in KiB (VmHWM in /proc/PID/status). */
    OptionalLong peakRssKiB() {
        return procStatus("VmHWM");
    }

    /**
     * Returns the heap's used and committed KiB from {@code jcmd PID GC.heap_info}, summed over generations, or
     * null when jcmd is missing or fails.
     */
    HeapUsage heapUsage() {
        String output = jcmd("GC.heap_info");
        if (output == null) {
            return null;
        }
        long committed = 0;
        long used = 0;
        Matcher matcher = HEAP_LINE.matcher(output);
        boolean found = false;
        while (matcher.find()) {
            committed += Long.parseLong(matcher.group(1));
            used += Long.parseLong(matcher.group(2));
            found = true;
        }
        return found ? new HeapUsage(used, committed) : null;
    }

    /** Runs a full garbage collection, so that the next {@link #heapUsage} shows the live heap. */
    boolean collectGarbage() {
        return jcmd("GC.run") != null;
    }

    /** Starts a JDK Flight Recorder recording with the profile settings (a method sample every 10 ms). */
    boolean startRecording() {
        return jcmd("JFR.start", "name=benchmark", "settings=profile") != null;
    }

    boolean stopRecording(Path file) {
        return jcmd("JFR.stop", "name=benchmark", "filename=" + file.toAbsolutePath()) != null;
    }

    /** Stops the bridge with SIGTERM, as Docker does, and kills it when it has not exited within 30 s. */
    int stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        RUNNING.remove(process);
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private OptionalLong procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException e) {
            // The process has exited, or this is not Linux.
        }
        return OptionalLong.empty();
    }

    private String jcmd(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaTool("jcmd"));
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("benchmark-jcmd", ".txt");
            try {
                Process jcmd = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
                    jcmd.destroyForcibly();
                    return null;
                }
                return jcmd.exitValue() == 0 ? Files.readString(output, StandardCharsets.UTF_8) : null;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Returns the unit of the times in /proc/PID/stat from {@code getconf CLK_TCK}, or 100 when that fails. */
    static double clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0 ? Double.parseDouble(output) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** Returns a tool of the JDK that runs the benchmark. */
    private static String javaTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** Heap figures in KiB. */
    record HeapUsage(long usedKiB, long committedKiB) {
    }
}
