package dev.ivvycontact.signing;

import java.util.Objects;

/** The iVvy API key and secret. {@link #toString()} never shows the secret, so a stray log line can't leak it. */
public record ApiCredentials(String apiKey, String apiSecret) {

    public ApiCredentials {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(apiSecret, "apiSecret");
    }

    @Override
    public String toString() {
        return "ApiCredentials[apiKey=" + apiKey + ", apiSecret=(hidden)]";
    }
}
