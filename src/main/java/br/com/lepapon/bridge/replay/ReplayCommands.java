package br.com.lepapon.bridge.replay;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that run instead of the bridge when named as the first argument: {@code replay-dead-letters} posts
 * dead letters to the webhook again, and {@code replay-day} sends a daily file's events through the routes without
 * the live feed.
 */
public final class ReplayCommands {

    /** Everything was replayed. */
    public static final int EXIT_OK = 0;
    /** Some lines were not replayed: they failed or were invalid. */
    public static final int EXIT_INCOMPLETE = 1;
    /** Invalid arguments or settings; nothing was replayed. The bridge uses the same code for invalid settings. */
    public static final int EXIT_USAGE = 2;
    /** Invalid lines logged one by one per file at most, so that a wrong file does not flood the log. */
    static final int MAX_LOGGED_INVALID_LINES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ReplayCommands.class);

    private ReplayCommands() {
    }

    public static boolean isCommand(String name) {
        return name.equals(DeadLetterReplay.NAME) || name.equals(DayReplay.NAME);
    }

    /**
     * Runs the command named by {@code arguments[0]} and returns its exit code.
     *
     * @param overrides settings that take precedence over application.properties and the environment, such as
     *                  {@code lepapon.webhook.url}; empty on the command line
     */
    public static int run(Properties overrides, String... arguments) throws Exception {
        List<String> rest = Arrays.asList(arguments).subList(1, arguments.length);
        return switch (arguments[0]) {
            case DeadLetterReplay.NAME -> DeadLetterReplay.run(overrides, rest);
            case DayReplay.NAME -> DayReplay.run(overrides, rest);
            default -> throw new IllegalArgumentException("Not a replay command: " + arguments[0]);
        };
    }

    /** Logs {@code message}, one line naming the invalid argument, and returns {@link #EXIT_USAGE}. */
    static int usageError(String message) {
        LOG.error(message);
        return EXIT_USAGE;
    }
}
