package dev.ivvycontact.observe;

import dev.ivvycontact.deadletter.DeadLetterRefusals;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * DOWN, naming the cause, while Kafka refuses dead letters for good (a topic's size limit or ACLs, which a restart
 * can't change: it would only redo the work after the stuck record).
 */
public final class DeadLetterHealthCheck extends OutsideCauseHealthCheck {

    private final DeadLetterRefusals refusals;

    public DeadLetterHealthCheck(DeadLetterRefusals refusals) {
        super("dead-letters");
        this.refusals = refusals;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        refusals.current().ifPresentOrElse(why -> {
            builder.message("dead letters can't be written: " + why);
            builder.down();
        }, builder::up);
    }
}
