package br.com.lepapon.bridge.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Lists the hottest methods of a JDK Flight Recorder recording from its {@code jdk.ExecutionSample} events: the
 * bridge's parts the samples fall in, the methods at the top of the sampled stacks (self), the methods anywhere on
 * them (total) and the sampled threads.
 * Percentages are of all samples. Runs on its own too: {@code ProfileSummary FILE.jfr [ROWS]}.
 */
final class ProfileSummary {

    /**
     * The bridge's parts, each recognised by a prefix of a class or method name. A sample counts for the part of
     * the frame nearest the top of its stack that matches, so work a part calls (logback called by the webhook
     * sender, say) counts for the part that does it.
     */
    private static final List<Map.Entry<String, List<String>>> PARTS = List.of(
            Map.entry("daily files (Camel file: producer)", List.of("org.apache.camel.component.file.")),
            Map.entry("log lines (Camel log, logback)", List.of("org.apache.camel.processor.LogProcessor",
                    "org.apache.camel.spi.CamelLogger", "org.apache.camel.component.log.",
                    "org.apache.camel.support.processor.CamelLogProcessor", "ch.qos.logback.", "org.slf4j.")),
            Map.entry("JSON line formatting", List.of("br.com.lepapon.bridge.events.JsonLineFormatter")),
            Map.entry("frame parsing", List.of("br.com.lepapon.bridge.events.FrameParser")),
            Map.entry("webhook requests (sender threads)", List.of("br.com.lepapon.bridge.sinks.WebhookDelivery.attempt")),
            Map.entry("webhook queueing", List.of("br.com.lepapon.bridge.sinks.WebhookDelivery.process")),
            Map.entry("metrics (Micrometer: Camel route policy, bridge meters)", List.of("io.micrometer.",
                    "org.apache.camel.component.micrometer.")),
            Map.entry("feed reading (Vert.x, Netty)", List.of("io.netty.", "io.vertx.")));
    private static final String OTHER_PART = "Camel routing and the rest";

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        System.out.print(summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 20));
    }

    static String summarize(Path recording, int rows) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> parts = new HashMap<>();
        int samples = 0;

        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }

                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
                Set<String> onStack = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    onStack.add(name(frame.getMethod()));
                }
                onStack.forEach(method -> total.merge(method, 1, Integer::sum));
                parts.merge(part(frames), 1, Integer::sum);
                RecordedThread thread = event.getThread("sampledThread");
                threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1, Integer::sum);
            }
        }

        StringBuilder text = new StringBuilder();
        text.append("Execution samples: ").append(samples).append('\n');
        appendTop(text, "Threads", threads, samples, rows);
        appendTop(text, "Parts of the bridge", parts, samples, rows);
        appendTop(text, "Self (top of stack)", self, samples, rows);
        appendTop(text, "Total (anywhere on the stack)", total, samples, rows);
        return text.toString();
    }

    private static void appendTop(StringBuilder text, String title, Map<String, Integer> counts, int samples,
            int rows) {
        text.append('\n').append(title).append(":\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(rows)
                .forEach(entry -> text.append(String.format("  %5.1f%%  %s%n",
                        100.0 * entry.getValue() / Math.max(1, samples), entry.getKey())));
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String method = name(frame.getMethod());
            for (Map.Entry<String, List<String>> part : PARTS) {
                for (String prefix : part.getValue()) {
                    if (method.startsWith(prefix)) {
                        return part.getKey();
                    }
                }
            }
        }
        return OTHER_PART;
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    /** Folds numbered threads of one pool together: vert.x-eventloop-thread-3 becomes vert.x-eventloop-thread-N. */
    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("\\d+$", "N");
    }
}
