package dev.ivvycontact.sync;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The change capture, on the instance that leads it: DOWN, with the reason, while its runs fail. In /observe/health
 * and the alerts, not readiness: a failing list call is iVvy's or Kafka's trouble, which NotReady pods don't cure.
 */
public final class SyncHealthCheck extends AbstractHealthCheck {

    private final SyncRun sync;

    public SyncHealthCheck(SyncRun sync) {
        super("pipeline", "contact-sync");
        this.sync = sync;
    }

    @Override
    public boolean isLiveness() {
        // A failing sync is iVvy's or Kafka's trouble, not cured by a restart; the next run repeats the window.
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
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
