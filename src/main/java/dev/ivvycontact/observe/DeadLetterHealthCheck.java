package dev.ivvycontact.observe;

import dev.ivvycontact.deadletter.DeadLetterRefusals;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN, naming the cause, while Kafka refuses dead letters for good: in /observe/health and the alerts, neither
 * liveness (a restart can't change a topic's size limit or ACLs; it would only redo the work after the stuck record)
 * nor readiness (it would stall rollouts and drains for a topic's setting).
 */
public final class DeadLetterHealthCheck extends AbstractHealthCheck {

    private final DeadLetterRefusals refusals;

    public DeadLetterHealthCheck(DeadLetterRefusals refusals) {
        super("pipeline", "dead-letters");
        this.refusals = refusals;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        refusals.current().ifPresentOrElse(why -> {
            builder.message("dead letters can't be written: " + why);
            builder.down();
        }, builder::up);
    }
}
