package br.com.lepapon.bridge.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads typed settings from a property lookup and rejects invalid values with a message that names the
 * property and the environment variable that overrides it.
 */
final class SettingReader {

    private final Function<String, Optional<String>> lookup;

    SettingReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** Returns the trimmed value, or empty when the property is missing or blank. */
    Optional<String> text(Setting setting) {
        return lookup.apply(setting.property()).map(String::trim).filter(value -> !value.isEmpty());
    }

    String requiredText(Setting setting) {
        return text(setting).orElseThrow(() -> invalid(setting, "", "a value"));
    }

    /** Reads an absolute URI whose scheme is one of {@code schemes}. */
    Optional<URI> uri(Setting setting, String... schemes) {
        Optional<String> value = text(setting);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String expected = "an absolute URL with scheme " + String.join(" or ", schemes) + " and a host";
        try {
            URI uri = new URI(value.get());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !java.util.List.of(schemes).contains(scheme)) {
                throw invalid(setting, value.get(), expected);
            }
            if (uri.getRawUserInfo() != null && scheme.startsWith("http")) {
                // Apache HttpClient 5 rejects every request to such a URL, and the user info may be a password.
                throw invalid(setting, "(hidden)", "a URL without user:password before the host");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw invalid(setting, value.get(), expected);
        }
    }

    URI requiredUri(Setting setting, String... schemes) {
        return uri(setting, schemes).orElseThrow(() -> invalid(setting, "", "a URL"));
    }

    /** Reads a number of seconds of at least 0.001; decimals such as {@code 0.5} are allowed. */
    Duration seconds(Setting setting) {
        String value = requiredText(setting);
        String expected = "a number of seconds of at least 0.001";
        try {
            Duration duration = Duration.ofNanos(new BigDecimal(value).movePointRight(9).longValueExact());
            if (duration.toMillis() < 1) {
                throw invalid(setting, value, expected);
            }
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(setting, value, expected);
        }
    }

    /** Reads a folder path; a path that is, or lies below, something other than a folder is invalid. */
    Path folder(Setting setting) {
        String value = requiredText(setting);
        try {
            Path path = Path.of(value);
            Path existing = path.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw invalid(setting, value, "a folder (" + existing + " is a file)");
            }
            return path;
        } catch (InvalidPathException e) {
            throw invalid(setting, value, "a valid path");
        }
    }

    /** Reads a Standard Webhooks secret: {@code whsec_} and base64, or any other text. The message hides the value. */
    Optional<String> webhookSecret(Setting setting) {
        Optional<String> secret = text(setting);
        if (secret.isPresent() && secret.get().startsWith("whsec_")) {
            try {
                if (Base64.getDecoder().decode(secret.get().substring("whsec_".length())).length == 0) {
                    throw invalid(setting, "(hidden)", "a whsec_ secret with a key after the prefix");
                }
            } catch (IllegalArgumentException e) {
                throw invalid(setting, "(hidden)", "a whsec_ secret followed by valid base64");
            }
        }
        return secret;
    }

    int positiveInt(Setting setting) {
        String value = requiredText(setting);
        try {
            int number = Integer.parseInt(value);
            if (number <= 0) {
                throw invalid(setting, value, "a whole number greater than 0");
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "a whole number greater than 0");
        }
    }

    int nonNegativeInt(Setting setting) {
        String value = requiredText(setting);
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw invalid(setting, value, "a whole number of 0 or more");
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(setting, value, "a whole number of 0 or more");
        }
    }

    ZoneId zone(Setting setting) {
        String value = requiredText(setting);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw invalid(setting, value, "a time zone id such as America/Sao_Paulo");
        }
    }

    static InvalidSettingException invalid(Setting setting, String value, String expected) {
        return new InvalidSettingException(String.format("Invalid setting %s (property %s): '%s' is not %s",
                setting.envVar(), setting.property(), value, expected));
    }

    /** A property of application.properties and the environment variable that overrides it. */
    record Setting(String property, String envVar) {
    }
}
