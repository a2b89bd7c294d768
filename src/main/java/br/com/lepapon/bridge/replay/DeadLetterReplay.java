package br.com.lepapon.bridge.replay;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import br.com.lepapon.bridge.BridgeApplication;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.config.InvalidSettingException;
import br.com.lepapon.bridge.connection.SecretMasker;
import br.com.lepapon.bridge.replay.JsonLinesReader.Line;
import br.com.lepapon.bridge.replay.WebhookResender.Outcome;
import br.com.lepapon.bridge.sinks.WebhookDeadLetter;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code replay-dead-letters} command: posts every dead letter of the given files to {@code WEBHOOK_URL} again, in
 * file order, with the settings the bridge would use. The input files are only read. What is not delivered goes to
 * an {@link UndeliveredFile} next to each input.
 */
final class DeadLetterReplay {

    static final String NAME = "replay-dead-letters";
    static final String USAGE = "Usage: " + NAME + " FILE [FILE...]";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final BridgeSettings settings;
    private final WebhookResender resender;
    private final LocalDateTime startedAt;

    private DeadLetterReplay(BridgeSettings settings, WebhookResender resender) {
        this.settings = settings;
        this.resender = resender;
        this.startedAt = LocalDateTime.now(settings.timezone());
    }

    /**
     * Runs the command and returns its exit code: 0 when every line was delivered, 1 when a line failed or was
     * invalid, 2 for invalid arguments or settings.
     *
     * @param overrides settings that take precedence over application.properties and the environment
     * @param arguments the arguments after the command name
     */
    static int run(Properties overrides, List<String> arguments) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.equals("--help") || argument.equals("-h")) {
                LOG.info("{}. Posts each dead letter to WEBHOOK_URL again, with its original webhook-id", USAGE);
                return ReplayCommands.EXIT_OK;
            }
            if (argument.startsWith("-")) {
                return ReplayCommands.usageError(NAME + ": unknown option " + argument + ". " + USAGE);
            }
            Path file = Path.of(argument);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                return ReplayCommands.usageError(NAME + ": dead-letter file not found or not readable: " + file);
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            return ReplayCommands.usageError(NAME + ": no dead-letter file given. " + USAGE);
        }

        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(NAME);
        context.getPropertiesComponent().setLocation(BridgeApplication.PROPERTIES_LOCATION);
        context.getPropertiesComponent().setOverrideProperties(overrides);
        for (String scheme : new String[] {"http", "https"}) {
            // Apache HttpClient would repeat some requests by itself; every attempt here is one the replay counts.
            context.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
        }
        context.start();
        try {
            BridgeSettings settings;
            try {
                BridgeSettings.checkEnvironment(System.getenv());
                settings = BridgeSettings.load(key -> context.getPropertiesComponent().resolveProperty(key));
            } catch (InvalidSettingException e) {
                LOG.error(e.getMessage());
                return ReplayCommands.EXIT_USAGE;
            }
            if (settings.webhookUrl().isEmpty()) {
                return ReplayCommands.usageError(NAME + ": WEBHOOK_URL is not set. Set it (or lepapon.webhook.url in"
                        + " application.properties) to the URL of the receiver");
            }
            return new DeadLetterReplay(settings, new WebhookResender(settings, context)).replay(files);
        } finally {
            context.stop();
        }
    }

    private int replay(List<Path> files) throws InterruptedException {
        LOG.info("Replaying {} dead-letter file(s) to {}, up to {} attempts per delivery", files.size(),
                SecretMasker.redactEndpoint(settings.webhookUrl().orElseThrow()), WebhookResender.maxAttempts(settings));
        Counts total = new Counts();
        for (Path file : files) {
            Counts counts = new Counts();
            try {
                replayFile(file, counts);
            } catch (IOException e) {
                LOG.error("{}: replay stopped: {}. The input file is unchanged; replaying it again sends its lines"
                        + " again, and receivers can drop the duplicates by webhook-id", file, e.toString());
                total.add(counts);
                logTotal(total);
                return ReplayCommands.EXIT_INCOMPLETE;
            }
            total.add(counts);
        }
        logTotal(total);
        return total.failed == 0 && total.invalid == 0 ? ReplayCommands.EXIT_OK : ReplayCommands.EXIT_INCOMPLETE;
    }

    private void replayFile(Path file, Counts counts) throws IOException, InterruptedException {
        LOG.info("Replaying {}", file);
        try (JsonLinesReader reader = new JsonLinesReader(file);
                UndeliveredFile undelivered = new UndeliveredFile(file, startedAt)) {
            for (Line line = reader.next(); line != null; line = reader.next()) {
                if (line.isBlank()) {
                    continue;
                }
                String label = file + " line " + line.number();
                DeadLetterLine letter;
                try {
                    letter = DeadLetterLine.parse(line.text());
                } catch (CharacterCodingException e) {
                    invalid(label, line, "not valid UTF-8", undelivered, counts);
                    continue;
                } catch (InvalidLineException e) {
                    invalid(label, line, e.getMessage(), undelivered, counts);
                    continue;
                }
                send(letter, label, undelivered, counts);
            }
            String summary = "{}: {} delivered, {} failed, {} invalid";
            if (undelivered.path() == null) {
                LOG.info(summary, file, counts.delivered, counts.failed, counts.invalid);
            } else {
                LOG.warn(summary + "; {} line(s) not delivered, kept in {}", file, counts.delivered, counts.failed,
                        counts.invalid, undelivered.lines(), undelivered.path());
            }
        }
    }

    private void send(DeadLetterLine letter, String label, UndeliveredFile undelivered, Counts counts)
            throws IOException, InterruptedException {
        Outcome outcome = resender.deliver(letter, label);
        if (outcome.delivered()) {
            counts.delivered++;
            LOG.info("{}: delivered webhook-id {} on attempt {} ({})", label, letter.webhookId(), outcome.attempts(),
                    outcome.detail());
            return;
        }
        counts.failed++;
        LOG.error("{}: webhook-id {} not delivered after {} attempt(s): {}", label, letter.webhookId(),
                outcome.attempts(), outcome.detail());
        undelivered.addFailed(new WebhookDeadLetter(OffsetDateTime.now(settings.timezone()), letter.webhookId(),
                outcome.attempts(), outcome.detail(), letter.delivery()));
    }

    private static void invalid(String label, Line line, String reason, UndeliveredFile undelivered, Counts counts)
            throws IOException {
        counts.invalid++;
        if (counts.invalid <= ReplayCommands.MAX_LOGGED_INVALID_LINES) {
            LOG.error("{}: invalid dead letter, {}; copied as it is to the undelivered file", label,
                    line.describe(reason));
        } else if (counts.invalid == ReplayCommands.MAX_LOGGED_INVALID_LINES + 1) {
            LOG.error("{}: more invalid lines; they are counted and copied, but not logged", label);
        }
        undelivered.addInvalid(line.bytes());
    }

    private static void logTotal(Counts total) {
        String message = "Replay finished: {} delivered, {} failed, {} invalid";
        if (total.failed == 0 && total.invalid == 0) {
            LOG.info(message, total.delivered, total.failed, total.invalid);
        } else {
            LOG.warn(message, total.delivered, total.failed, total.invalid);
        }
    }

    /** Lines by outcome. */
    private static final class Counts {
        int delivered;
        int failed;
        int invalid;

        void add(Counts other) {
            delivered += other.delivered;
            failed += other.failed;
            invalid += other.invalid;
        }
    }
}
