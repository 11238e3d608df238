package dev.ivvycontact.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The trace of the work at hand in the logging context, as {@value #TRACE_ID} and {@value #SPAN_ID}, for the lines
 * logged inside a try-with-resources block: an operator who finds a dead letter's trace finds its log lines (JSON logs
 * carry the context as fields). What was there before is put back on close, so nesting and thread reuse are safe.
 */
public final class TraceLogContext implements AutoCloseable {

    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final String previousTrace;
    private final String previousSpan;

    private TraceLogContext(SpanContext context) {
        previousTrace = MDC.get(TRACE_ID);
        previousSpan = MDC.get(SPAN_ID);
        if (context.isValid()) {
            MDC.put(TRACE_ID, context.getTraceId());
            MDC.put(SPAN_ID, context.getSpanId());
        }
    }

    /** Puts {@code span}'s ids in the logging context until {@link #close()}. */
    public static TraceLogContext of(Span span) {
        return new TraceLogContext(span.getSpanContext());
    }

    @Override
    public void close() {
        restore(TRACE_ID, previousTrace);
        restore(SPAN_ID, previousSpan);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
