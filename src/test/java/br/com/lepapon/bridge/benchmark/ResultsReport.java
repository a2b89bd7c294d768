package br.com.lepapon.bridge.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Formats the benchmark's results as Markdown: the machine and JVM, the settings, one table with the median and
 * spread (min to max) of each figure over the runs, the figures of each run, checks that failed, and notes.
 */
final class ResultsReport {

    private final BenchmarkOptions options;
    private final String command;
    private final String started;
    private final String loadAtStart;
    private final String loadAtEnd;
    private final List<Measurements> runs;

    ResultsReport(BenchmarkOptions options, String command, String started, String loadAtStart, String loadAtEnd,
            List<Measurements> runs) {
        this.options = options;
        this.command = command;
        this.started = started;
        this.loadAtStart = loadAtStart;
        this.loadAtEnd = loadAtEnd;
        this.runs = runs;
    }

    String format() {
        StringBuilder text = new StringBuilder();
        text.append("## Run of ").append(started).append("\n\n");
        text.append("- Command: `").append(command).append("`\n");
        text.append("- Machine: ").append(machine()).append("; load average ").append(loadAtStart)
                .append(" at the start, ").append(loadAtEnd).append(" at the end\n");
        text.append("- JVM (bridge and benchmark): ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        text.append("- Bridge JVM options: `").append(String.join(" ", options.jvmOptions())).append("`\n");
        if (options.jvmOptions().stream().anyMatch(option -> option.startsWith("-XX:SharedArchiveFile="))) {
            text.append("- Class data sharing archive: written for the local jar by `src/main/docker/cds-archive.sh`"
                    + " before the runs, as the Docker image build writes its own\n");
        }
        if (!options.bridgeEnvironment().isEmpty()) {
            text.append("- Extra bridge environment: `").append(options.bridgeEnvironment()).append("`\n");
        }
        text.append("- Settings: ").append(settings()).append("\n\n");

        text.append("| measure | median | spread (min to max) | target |\n");
        text.append("| --- | ---: | --- | --- |\n");
        for (Row row : rows()) {
            List<Double> values = values(row.key());
            if (!values.isEmpty()) {
                text.append("| ").append(row.label()).append(" | ").append(format(median(values), row.unit()))
                        .append(" | ").append(spread(values, row.unit())).append(" | ").append(row.target())
                        .append(" |\n");
            }
        }
        for (Row row : checkRows()) {
            long checked = runs.stream().map(run -> run.checkResult(row.key())).filter(Objects::nonNull).count();
            long passed = runs.stream().filter(run -> Boolean.TRUE.equals(run.checkResult(row.key()))).count();
            if (checked > 0) {
                text.append("| ").append(row.label()).append(" | passed in ").append(passed).append(" of ")
                        .append(checked).append(checked == 1 ? " run" : " runs").append(" |  | ")
                        .append(row.target()).append(" |\n");
            }
        }

        if (runs.size() > 1) {
            text.append("\nEach run:\n\n| measure |");
            runs.forEach(run -> text.append(" run ").append(run.run()).append(" |"));
            text.append("\n| --- |");
            runs.forEach(run -> text.append(" ---: |"));
            text.append('\n');
            for (Row row : rows()) {
                if (!values(row.key()).isEmpty()) {
                    text.append("| ").append(row.label()).append(" |");
                    for (Measurements run : runs) {
                        Double value = run.value(row.key());
                        text.append(' ').append(value == null ? "" : format(value, row.unit())).append(" |");
                    }
                    text.append('\n');
                }
            }
        }
        appendList(text, "Failures", runs.stream().flatMap(run -> run.failures().stream()).toList());
        appendList(text, "Notes", runs.stream().flatMap(run -> run.notes().stream()).toList());
        return text.toString();
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, format());
    }

    private List<Row> rows() {
        String rate = String.format("%,d frames/s for %d s", options.rate(), options.durationSeconds());
        double firstDelay = options.reconnectDelay() == null ? 5 : Double.parseDouble(options.reconnectDelay());
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(Measurements.THROUGHPUT, String.format("Throughput, burst of %,d frames: first frame sent"
                + " to last line written", options.frames()), "events/s", "at least 120,000 events/s"));
        rows.add(new Row(Measurements.THROUGHPUT_CPU, "Bridge CPU time (user and system) per 1,000 events of the"
                + " burst, webhook requests included", "ms", ""));
        rows.add(new Row(Measurements.THROUGHPUT_SENDING, "Rate at which the simulator took the burst's frames",
                "frames/s", ""));
        for (String percentile : Measurements.PERCENTILES) {
            rows.add(new Row(Measurements.LINE_LATENCY + "." + percentile, "Frame sent to line written, "
                    + percentile + ", " + rate, "ms", percentile.equals("p99") ? "under 10 ms" : ""));
        }
        for (String percentile : Measurements.PERCENTILES) {
            rows.add(new Row(Measurements.WEBHOOK_LATENCY + "." + percentile, "Frame sent to webhook received, "
                    + percentile + ", " + rate, "ms", percentile.equals("p99") ? "under 50 ms" : ""));
        }

        rows.add(new Row(Measurements.RECOVERY, String.format("Recovery: feed server restarted (down %s s),"
                + " accepting again to first event written", trim(options.restartDowntime())), "ms",
                String.format("within the first reconnect delay plus 1 s (%,.0f ms)", (firstDelay + 1) * 1000)));
        rows.add(new Row(Measurements.RECOVERY_CONNECTED, "Recovery: accepting again to bridge connected", "ms", ""));

        rows.add(new Row(Measurements.STARTUP, "Start-up: process start to first event written", "ms",
                "under 2,000 ms"));
        rows.add(new Row(Measurements.STARTUP_CONNECTED, "Start-up: process start to feed connected", "ms", ""));

        rows.add(new Row(Measurements.PEAK_RSS, "Peak RSS (VmHWM) after the throughput burst", "MiB",
                "under 200 MiB"));
        rows.add(new Row(Measurements.HEAP_USED, "Heap used after the throughput burst", "MiB", ""));
        rows.add(new Row(Measurements.HEAP_COMMITTED, "Heap committed after the throughput burst", "MiB", ""));
        rows.add(new Row(Measurements.HEAP_LIVE, "Heap used after a full GC (live data)", "MiB", ""));
        rows.add(new Row(Measurements.SMALL_HEAP_THROUGHPUT, "Throughput of the same burst with -Xmx128m added",
                "events/s", ""));
        rows.add(new Row(Measurements.SMALL_HEAP_PEAK_RSS, "Peak RSS (VmHWM) of the -Xmx128m run", "MiB", ""));
        return rows;
    }

    private static List<Row> checkRows() {
        return List.of(
                new Row(Measurements.CHECK_THROUGHPUT_FILES,
                        "Burst files complete, in order, no duplicates, messages as sent", "", "passes"),
                new Row(Measurements.CHECK_LATENCY_FILES,
                        "Latency-phase files complete, in order, no duplicates, messages as sent", "", "passes"),
                new Row(Measurements.CHECK_SMALL_HEAP, "Burst with -Xmx128m completes, files checked as above", "",
                        "passes"));
    }

    private String settings() {
        return String.format("bursts of %,d frames; %,d frames/s for %d s; feed server down %s s in the recovery"
                + " phase; WS_RECONNECT_DELAY %s; %d %s; -Xmx128m run %s; JFR %s", options.frames(),
                options.rate(), options.durationSeconds(), trim(options.restartDowntime()),
                options.reconnectDelay() == null ? "default (5 s)" : options.reconnectDelay() + " s",
                runs.size(), runs.size() == 1 ? "run" : "runs", options.smallHeapRun() ? "on" : "off",
                options.profile() ? "recording the first burst (its throughput includes the recording's cost)"
                        : "off");
    }

    private List<Double> values(String key) {
        List<Double> values = new ArrayList<>();
        for (Measurements run : runs) {
            Double value = run.value(key);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String spread(List<Double> values, String unit) {
        if (values.size() < 2) {
            return "one run";
        }
        return format(Collections.min(values), unit) + " to " + format(Collections.max(values), unit);
    }

    private static String format(double value, String unit) {
        String number;
        if (unit.equals("ms") && value < 10) {
            number = String.format("%.2f", value);
        } else if (unit.equals("ms") && value < 100) {
            number = String.format("%.1f", value);
        } else {
            number = String.format("%,.0f", value);
        }
        return number + " " + unit;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static void appendList(StringBuilder text, String title, List<String> items) {
        if (!items.isEmpty()) {
            text.append('\n').append(title).append(":\n\n");
            items.forEach(item -> text.append("- ").append(item).append('\n'));
        }
    }

    /** Describes the machine: cores, processor model, memory and kernel, read from /proc where it exists. */
    static String machine() {
        String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
        String memory = firstValue(Path.of("/proc/meminfo"), "MemTotal");
        StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (model != null) {
            text.append(" (").append(model).append(')');
        }
        if (memory != null) {
            long kib = Long.parseLong(memory.replaceAll("[^0-9]", ""));
            text.append(String.format(", %.1f GiB memory", kib / 1024.0 / 1024.0));
        }
        text.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"));
        return text.toString();
    }

    /** Returns the 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: the figure is left out.
        }
        return null;
    }

    /** One row of the table: the measurement's key, its label, its unit and the target it is held against. */
    private record Row(String key, String label, String unit, String target) {
    }
}
