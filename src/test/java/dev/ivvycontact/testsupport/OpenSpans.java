package dev.ivvycontact.testsupport;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A span processor that knows which spans were started and have not ended: a leak under a fault shows here. */
public final class OpenSpans implements SpanProcessor {

    private final Set<ReadableSpan> open = ConcurrentHashMap.newKeySet();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        open.add(span);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        open.remove(span);
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    /** The names of the spans started and not ended yet. */
    public List<String> names() {
        return open.stream().map(ReadableSpan::getName).sorted().toList();
    }
}
