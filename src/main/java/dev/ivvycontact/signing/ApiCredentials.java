package dev.ivvycontact.signing;

import java.util.Objects;

/**
 * The iVvy API key and secret. Neither is ever shown whole: {@link #toString()} and {@link #maskedKey()} show the key's
 * last four characters at most, so a stray log line can't leak them.
 */
public record ApiCredentials(String apiKey, String apiSecret) {

    public ApiCredentials {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
    }

    /** The key as it may be shown: its last four characters, the rest masked ({@code ****-key}). */
    public String maskedKey() {
        return "****" + (apiKey.length() > 8 ? apiKey.substring(apiKey.length() - 4) : "");
    }

    @Override
    public String toString() {
        return "ApiCredentials[apiKey=" + maskedKey() + ", apiSecret=(hidden)]";
    }
}
