package dev.ivvycontact.deadletter;

/** The headers a dead letter carries besides the input's own. */
public final class DeadLetterHeaders {

    public static final String PREFIX = "dlt-";
    public static final String REASON = "dlt-reason";
    public static final String ERROR = "dlt-error";
    public static final String ORIGINAL_TOPIC = "dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "dlt-original-offset";
    public static final String ATTEMPTS = "dlt-attempts";
    public static final String FAILED_AT = "dlt-failed-at";
    public static final String IVVY_ERROR_CODE = "dlt-ivvy-error-code";
    public static final String IVVY_SPECIFIC_CODE = "dlt-ivvy-specific-code";

    private DeadLetterHeaders() {
    }
}
