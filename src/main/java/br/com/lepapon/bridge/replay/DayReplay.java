package br.com.lepapon.bridge.replay;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import br.com.lepapon.bridge.BridgeApplication;
import br.com.lepapon.bridge.BridgeConfiguration;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.config.InvalidSettingException;
import br.com.lepapon.bridge.connection.FeedComponent;
import br.com.lepapon.bridge.connection.FrameDispatcher;
import br.com.lepapon.bridge.events.FrameParser;
import br.com.lepapon.bridge.replay.JsonLinesReader.Line;
import br.com.lepapon.bridge.sinks.WebhookDelivery;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code replay-day} command: starts the bridge's routes without the feed route, then sends each line of the
 * given daily files to one endpoint, in file order, and stops. The router's input {@code direct:feed-frame} (the
 * default) gets the frame with its original receive time, as the feed route would send it. Any other endpoint gets
 * what the router's sinks get: the parsed event and the {@code LePapon*} headers. The replay writes under a data
 * folder of its own and leaves the webhook off unless {@code --webhook} is given.
 */
final class DayReplay {

    static final String NAME = "replay-day";
    static final String USAGE = "Usage: " + NAME + " FILE [FILE...] [--to ENDPOINT] [--data-dir DIR] [--routes DIR]"
            + " [--webhook]";
    private static final String HELP = USAGE + ". --to: the endpoint each line goes to (default "
            + DayReplayOptions.ROUTER_ENDPOINT + ", the router). --data-dir: DATA_DIR of the replay (default: a new"
            + " temporary folder). --routes: load DIR/*.yaml instead of routes/. --webhook: post orders to WEBHOOK_URL"
            + " (off by default)";
    /** Invalid line numbers listed in the summary at most; each one is also logged on its own. */
    private static final int MAX_LISTED_LINES = 20;
    /** How long a replay with --webhook waits for its orders to be delivered before it stops. */
    private static final Duration WEBHOOK_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(DayReplay.class);

    private final CamelContext context;
    private final Endpoint target;
    private final boolean sendsFrames;
    private final FrameParser parser;
    private final ProducerTemplate template;

    private DayReplay(CamelContext context, Endpoint target) {
        this.context = context;
        this.target = target;
        this.sendsFrames = target.getEndpointUri().equals(
                context.getEndpoint(DayReplayOptions.ROUTER_ENDPOINT).getEndpointUri());
        this.parser = context.getRegistry().lookupByNameAndType("frameParser", FrameParser.class);
        this.template = context.createProducerTemplate();
    }

    /**
     * Runs the command and returns its exit code: 0 when every line was replayed, 1 when a line was invalid or its
     * exchange failed, 2 for invalid arguments or settings.
     *
     * @param overrides settings that take precedence over application.properties and the environment
     * @param arguments the arguments after the command name
     */
    static int run(Properties overrides, List<String> arguments) throws Exception {
        DayReplayOptions options;
        try {
            options = DayReplayOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            return ReplayCommands.usageError(NAME + ": " + e.getMessage() + ". " + USAGE);
        }
        if (options.help()) {
            LOG.info(HELP);
            return ReplayCommands.EXIT_OK;
        }
        boolean temporary = options.dataDir() == null;
        Path dataDir = temporary ? Files.createTempDirectory("lepapon-replay-") : options.dataDir();
        int exitCode = replayWithRoutes(overrides, options, dataDir);
        if (temporary && exitCode == ReplayCommands.EXIT_USAGE) {
            // The replay did not start, so the folder should be empty; remove it instead of leaving one per attempt.
            try {
                Files.deleteIfExists(dataDir);
            } catch (DirectoryNotEmptyException e) {
                LOG.debug("Kept {} because it is not empty", dataDir);
            }
        }
        return exitCode;
    }

    /** Starts the routes with the replay's settings, replays the files and stops the routes. */
    private static int replayWithRoutes(Properties overrides, DayReplayOptions options, Path dataDir)
            throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(BridgeApplication.PROPERTIES_LOCATION);
        main.setOverrideProperties(replayProperties(overrides, options, dataDir));
        if (!options.webhook()) {
            LOG.info("Webhook sink off for the replay; add --webhook to post orders to WEBHOOK_URL");
        }
        try {
            main.start();
        } catch (Exception e) {
            try {
                main.stop();
            } catch (Exception stopError) {
                e.addSuppressed(stopError);
            }
            return startFailure(e);
        }
        try {
            CamelContext context = main.getCamelContext();
            requireFeedStopped(context);
            BridgeSettings settings = context.getRegistry().lookupByNameAndType("bridgeSettings", BridgeSettings.class);
            if (options.webhook() && (settings == null || settings.webhookUrl().isEmpty())) {
                return ReplayCommands.usageError(NAME + ": --webhook needs WEBHOOK_URL (environment variable or"
                        + " lepapon.webhook.url in application.properties)");
            }
            Endpoint target;
            try {
                target = context.getEndpoint(options.target());
            } catch (RuntimeException e) {
                return ReplayCommands.usageError(NAME + ": invalid --to endpoint " + options.target() + ": "
                        + LogText.sanitize(e.getMessage(), 200));
            }
            if (target == null || !hasConsumer(context, target)) {
                return ReplayCommands.usageError(NAME + ": no route consumes " + options.target()
                        + "; loaded routes: " + routeIds(context));
            }
            LOG.info("Replaying {} file(s) into {}; files are written under {}", options.files().size(),
                    options.target(), dataDir.toAbsolutePath());
            int exitCode = new DayReplay(context, target).replay(options.files(), dataDir);
            if (options.webhook() && !awaitWebhook(context, dataDir)) {
                return ReplayCommands.EXIT_INCOMPLETE;
            }
            return exitCode;
        } finally {
            main.stop();
        }
    }

    /**
     * Returns the settings of the replay: the caller's overrides, then the replay's own. These keep the feed route
     * stopped and turn off the management port, so that a bridge running on the same machine keeps its port. They
     * also drop the settings summary from the log, set the data folder and, without {@code --webhook}, turn the
     * webhook off.
     */
    private static Properties replayProperties(Properties overrides, DayReplayOptions options, Path dataDir) {
        Properties properties = new Properties();
        properties.putAll(overrides);
        properties.put("camel.main.name", "lepapon-bridge-replay");
        properties.put("camel.main.auto-configuration-log-summary", "false");
        properties.put("camel.main.auto-startup-exclude-pattern", FeedComponent.SCHEME + ":*");
        properties.put("camel.management.enabled", "false");
        properties.put("lepapon.data-dir", dataDir.toString());
        if (!options.webhook()) {
            properties.put("lepapon.webhook.url", "");
        }
        if (options.routes() != null) {
            properties.put("camel.main.routes-include-pattern", "file:" + options.routes() + "/*.yaml");
        }
        return properties;
    }

    private static int startFailure(Exception error) throws Exception {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException invalid) {
                LOG.error(invalid.getMessage());
                return ReplayCommands.EXIT_USAGE;
            }
            if (cause instanceof NoSuchFileException missing) {
                return ReplayCommands.usageError(NAME + ": routes not found: " + Path.of(missing.getFile())
                        .toAbsolutePath() + " does not exist. Run from the folder that contains routes/, or give"
                        + " --routes DIR");
            }
        }
        throw error;
    }

    /**
     * Waits up to {@link #WEBHOOK_WAIT} for the orders to reach the webhook. Those still pending then (a receiver
     * that is down is retried for up to WEBHOOK_MAX_RETRY_TIME) stay in the outbox under the data folder, and a
     * bridge or replay started with the same folder posts them.
     *
     * @return whether every order reached the webhook: none is pending and none went to the dead-letter file
     */
    private static boolean awaitWebhook(CamelContext context, Path dataDir) throws InterruptedException {
        WebhookDelivery webhook = context.getRegistry().lookupByNameAndType("webhookDelivery", WebhookDelivery.class);
        if (webhook == null) {
            return true;
        }
        int pending = webhook.awaitDelivered(WEBHOOK_WAIT);
        if (pending > 0) {
            LOG.warn("{} orders were not delivered within {} s; they stay in the outbox under {}, and a bridge or "
                    + "replay started with that data folder posts them", pending, WEBHOOK_WAIT.toSeconds(),
                    dataDir.toAbsolutePath());
        }
        int deadLetters = webhook.deadLetters();
        if (deadLetters > 0) {
            LOG.warn("{} orders went to the dead-letter file under {}", deadLetters, dataDir.toAbsolutePath());
        }
        return pending == 0 && deadLetters == 0;
    }

    /** Fails when a feed route started after all, because it would connect to the live feed. */
    private static void requireFeedStopped(CamelContext context) throws Exception {
        for (Route route : context.getRoutes()) {
            boolean feed = route.getEndpoint().getEndpointUri().startsWith(FeedComponent.SCHEME + ":");
            if (feed && context.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                context.getRouteController().stopRoute(route.getRouteId());
                throw new IllegalStateException("The feed route " + route.getRouteId() + " started during a replay");
            }
        }
    }

    /** Returns false for a {@code direct:} endpoint that no route consumes, which would fail every line. */
    private static boolean hasConsumer(CamelContext context, Endpoint target) {
        if (!target.getEndpointUri().startsWith("direct:")) {
            return true;
        }
        return context.getRoutes().stream()
                .anyMatch(route -> route.getEndpoint().getEndpointUri().equals(target.getEndpointUri()));
    }

    private static String routeIds(CamelContext context) {
        return context.getRoutes().stream().map(Route::getRouteId).sorted().collect(Collectors.joining(", "));
    }

    private int replay(List<Path> files, Path dataDir) {
        int replayed = 0;
        int invalid = 0;
        int failed = 0;
        for (Path file : files) {
            FileCounts counts = replayFile(file);
            replayed += counts.replayed;
            invalid += counts.invalid;
            failed += counts.failed;
        }
        String message = "Replay finished: {} replayed, {} invalid, {} failed; files under {}";
        if (invalid == 0 && failed == 0) {
            LOG.info(message, replayed, invalid, failed, dataDir.toAbsolutePath());
            return ReplayCommands.EXIT_OK;
        }
        LOG.warn(message, replayed, invalid, failed, dataDir.toAbsolutePath());
        return ReplayCommands.EXIT_INCOMPLETE;
    }

    private FileCounts replayFile(Path file) {
        FileCounts counts = new FileCounts();
        try (JsonLinesReader reader = new JsonLinesReader(file)) {
            for (Line line = reader.next(); line != null; line = reader.next()) {
                if (!line.isBlank()) {
                    replayLine(file + " line " + line.number(), line, counts);
                }
            }
        } catch (IOException e) {
            counts.failed++;
            LOG.error("{}: reading stopped: {}", file, e.toString());
        }
        String summary = "{}: {} replayed, {} invalid{}, {} failed";
        if (counts.invalid == 0 && counts.failed == 0) {
            LOG.info(summary, file, counts.replayed, 0, "", 0);
        } else {
            LOG.warn(summary, file, counts.replayed, counts.invalid, listInvalidLines(counts), counts.failed);
        }
        return counts;
    }

    private void replayLine(String label, Line line, FileCounts counts) {
        DayLine dayLine;
        try {
            dayLine = DayLine.parse(line.text());
        } catch (CharacterCodingException e) {
            invalid(label, line, "not valid UTF-8", counts);
            return;
        } catch (InvalidLineException e) {
            invalid(label, line, e.getMessage(), counts);
            return;
        }
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setBody(dayLine.frame());
        dayLine.receivedAt().ifPresent(at -> message.setHeader(FrameDispatcher.RECEIVED_AT_HEADER, at));
        dayLine.frameBase64().ifPresent(base64 -> {
            message.setHeader(FrameDispatcher.FRAME_BASE64_HEADER, base64);
            message.setHeader(FrameDispatcher.DECODING_ERROR_HEADER, DayLine.NOT_UTF8);
        });
        if (!sendsFrames) {
            parser.process(exchange);
        }
        Exchange result = template.send(target, exchange);
        if (result.getException() != null) {
            counts.failed++;
            LOG.error("{}: failed in {}: {}", label, target.getEndpointUri(),
                    LogText.sanitize(result.getException().toString(), 300));
            return;
        }
        counts.replayed++;
    }

    private static void invalid(String label, Line line, String reason, FileCounts counts) {
        counts.invalid++;
        if (counts.firstInvalidLines.size() < MAX_LISTED_LINES) {
            counts.firstInvalidLines.add(line.number());
        }
        if (counts.invalid <= ReplayCommands.MAX_LOGGED_INVALID_LINES) {
            LOG.error("{}: invalid, {}; not replayed", label, line.describe(reason));
        } else if (counts.invalid == ReplayCommands.MAX_LOGGED_INVALID_LINES + 1) {
            LOG.error("{}: more invalid lines; they are counted, but not logged", label);
        }
    }

    /** Returns {@code " (line 4)"}, {@code " (lines 4, 9)"} or {@code " (lines 4, 9, ... and 12 more)"}. */
    private static String listInvalidLines(FileCounts counts) {
        if (counts.invalid == 0) {
            return "";
        }
        String listed = counts.firstInvalidLines.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String more = counts.invalid > MAX_LISTED_LINES ? " and " + (counts.invalid - MAX_LISTED_LINES) + " more" : "";
        return (counts.invalid == 1 ? " (line " : " (lines ") + listed + more + ")";
    }

    /** Line counts of one file by outcome. */
    private static final class FileCounts {
        int replayed;
        int invalid;
        int failed;
        /** The numbers of the first {@link #MAX_LISTED_LINES} invalid lines. */
        final List<Integer> firstInvalidLines = new ArrayList<>();
    }
}
