package dev.ivvycontact.consumer;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness of a keyed-kafka consumer: DOWN once its poll thread has ended for good (an Error such as
 * OutOfMemoryError): nothing is fetched or committed any more and only a restart of the process cures that.
 */
final class PollThreadHealthCheck extends AbstractHealthCheck {

    private final String topic;
    private final Supplier<Throwable> fatal;

    PollThreadHealthCheck(String topic, Supplier<Throwable> fatal) {
        super("pipeline", "kafka-poll-thread");
        this.topic = topic;
        this.fatal = fatal;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("topic", topic);
        Throwable ended = fatal.get();
        if (ended == null) {
            builder.up();
        } else {
            builder.message("the poll thread of " + topic + " ended: " + ended);
            builder.down();
        }
    }
}
