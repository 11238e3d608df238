package dev.ivvycontact.sandbox;

/** A failure the sandbox can answer with instead of the contact, as real networks and platforms do. */
public enum Fault {
    /** 500 with iVvy's error JSON. */
    SERVER_ERROR,
    /** 429 with iVvy's error JSON and {@code Retry-After: 1}. */
    TOO_MANY_REQUESTS,
    /** 200 with the contact cut off half way. */
    TRUNCATED_JSON,
    /** 502 with an HTML page, as a proxy answers. */
    HTML_BAD_GATEWAY,
    /** 463 Key Revoked: a failure every call meets alike. */
    KEY_REVOKED
}
