package dev.ivvycontact.sync;

import dev.ivvycontact.observe.OutsideCauseHealthCheck;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The change capture, on the instance that leads it: DOWN, with the reason, while its runs fail (iVvy's or Kafka's
 * trouble; the next run repeats the window).
 */
public final class SyncHealthCheck extends OutsideCauseHealthCheck {

    private final SyncRun sync;

    public SyncHealthCheck(SyncRun sync) {
        super("contact-sync");
        this.sync = sync;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("leads", sync.leads());
        builder.detail("windowLagSeconds", sync.windowLagSeconds());
        String failure = sync.lastFailure();
        if (sync.leads() && failure != null) {
            builder.message("sync failing: " + failure);
            builder.down();
        } else {
            builder.up();
        }
    }
}
