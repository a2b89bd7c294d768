package br.com.lepapon.bridge.connection;

import java.time.Instant;
import java.util.Optional;

/**
 * A feed token and, when the token endpoint sent {@code expiresIn}, when it stops being valid.
 *
 * @param value     the token; never log it, use {@link SecretMasker#maskToken}
 * @param expiresAt when the token endpoint's {@code expiresIn} runs out
 */
public record FeedToken(String value, Optional<Instant> expiresAt) {

    public boolean isExpired(Instant now) {
        return expiresAt.map(now::isAfter).orElse(false);
    }

    @Override
    public String toString() {
        return "FeedToken[" + SecretMasker.maskToken(value) + "]";
    }
}
