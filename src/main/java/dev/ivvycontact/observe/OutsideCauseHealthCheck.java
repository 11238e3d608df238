package dev.ivvycontact.observe;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of something outside the instance (iVvy, the change capture's list calls, a dead-letter topic's settings):
 * in /observe/health, the metrics and the alerts, never in liveness (a restart cures none of them) nor readiness (a
 * consumer serves no traffic, and every pod NotReady at once would only stall rollouts and node drains).
 */
public abstract class OutsideCauseHealthCheck extends AbstractHealthCheck {

    protected OutsideCauseHealthCheck(String id) {
        super("pipeline", id);
    }

    @Override
    public final boolean isLiveness() {
        return false;
    }

    @Override
    public final boolean isReadiness() {
        return false;
    }
}
