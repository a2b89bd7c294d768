package br.com.lepapon.bridge.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@code replay-day}.
 *
 * @param files   the daily files, replayed one after the other
 * @param target  the endpoint each line is sent to
 * @param dataDir the {@code DATA_DIR} of the replay, or null for a new temporary folder
 * @param routes  the folder whose {@code *.yaml} routes are loaded, or null for the bridge's routes setting
 * @param webhook true to let the webhook sink post orders to {@code WEBHOOK_URL}
 * @param help    true when help was requested
 */
record DayReplayOptions(List<Path> files, String target, Path dataDir, Path routes, boolean webhook, boolean help) {

    /** The router's input, which takes frames as the feed delivers them. */
    static final String ROUTER_ENDPOINT = "direct:feed-frame";

    /**
     * Parses the arguments after the command name.
     *
     * @throws IllegalArgumentException with a one-line message naming the invalid argument
     */
    static DayReplayOptions parse(List<String> arguments) {
        List<Path> files = new ArrayList<>();
        String target = null;
        Path dataDir = null;
        Path routes = null;
        boolean webhook = false;
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            switch (argument) {
                case "--help", "-h" -> {
                    return new DayReplayOptions(List.of(), ROUTER_ENDPOINT, null, null, false, true);
                }
                case "--to" -> {
                    requireUnset(argument, target);
                    target = value(arguments, ++i, argument);
                }
                case "--data-dir" -> {
                    requireUnset(argument, dataDir);
                    dataDir = Path.of(value(arguments, ++i, argument));
                    if (Files.exists(dataDir) && !Files.isDirectory(dataDir)) {
                        throw new IllegalArgumentException("--data-dir " + dataDir + " is a file, not a folder");
                    }
                }
                case "--routes" -> {
                    requireUnset(argument, routes);
                    routes = Path.of(value(arguments, ++i, argument));
                    if (!Files.isDirectory(routes)) {
                        throw new IllegalArgumentException("--routes folder not found: " + routes);
                    }
                }
                case "--webhook" -> webhook = true;
                default -> {
                    if (argument.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + argument);
                    }
                    Path file = Path.of(argument);
                    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                        throw new IllegalArgumentException("daily file not found or not readable: " + file);
                    }
                    files.add(file);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no daily file given");
        }
        return new DayReplayOptions(List.copyOf(files), target == null ? ROUTER_ENDPOINT : target, dataDir, routes,
                webhook, false);
    }

    private static String value(List<String> arguments, int index, String option) {
        if (index >= arguments.size() || arguments.get(index).isBlank() || arguments.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return arguments.get(index);
    }

    private static void requireUnset(String option, Object current) {
        if (current != null) {
            throw new IllegalArgumentException(option + " is given twice");
        }
    }
}
