package br.com.lepapon.bridge;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

import br.com.lepapon.bridge.config.InvalidSettingException;
import br.com.lepapon.bridge.replay.ReplayCommands;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bridge as a Camel Main application. An invalid setting or a missing routes folder stops it with exit
 * code 2 and one message. A first argument naming a replay command (see {@link ReplayCommands}) runs that command
 * instead.
 */
public final class BridgeApplication {

    /** The settings files: application.properties on the classpath and, when present, in the working folder. */
    public static final String PROPERTIES_LOCATION =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private static final Logger LOG = LoggerFactory.getLogger(BridgeApplication.class);

    private BridgeApplication() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the bridge until it is stopped and returns the exit code. */
    public static int run(String... args) throws Exception {
        String logFormat = System.getenv("LOG_FORMAT");
        if (logFormat != null && !logFormat.equals("text") && !logFormat.equals("json")) {
            // With an unknown or empty format logback has no appender, so this message goes to standard error.
            System.err.println("Invalid setting LOG_FORMAT: '" + logFormat + "' is not text or json;"
                    + " unset it for text");
            return 2;
        }
        if (args.length > 0 && ReplayCommands.isCommand(args[0])) {
            return ReplayCommands.run(new Properties(), args);
        }
        if (args.length > 0) {
            // Camel Main would print its help for an unknown argument and exit with 0, hiding a mistyped command.
            System.err.println("Unknown command '" + args[0] + "': run without arguments to start the bridge, or"
                    + " use replay-dead-letters or replay-day (see the README's Replay section)");
            return 2;
        }
        Main main = new Main();
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES_LOCATION);
        try {
            return main.run(args);
        } catch (Exception e) {
            InvalidSettingException invalid = find(e, InvalidSettingException.class);
            if (invalid != null) {
                LOG.error(invalid.getMessage());
                return 2;
            }
            NoSuchFileException missing = find(e, NoSuchFileException.class);
            if (missing != null) {
                Path folder = Path.of(missing.getFile()).toAbsolutePath();
                LOG.error("Routes not found: {} does not exist. Run the bridge from the folder that contains routes/,"
                        + " or set camel.main.routes-include-pattern", folder);
                return 2;
            }
            throw e;
        }
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
