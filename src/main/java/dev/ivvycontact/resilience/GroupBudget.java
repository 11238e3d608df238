package dev.ivvycontact.resilience;

import dev.ivvycontact.consumer.AssignmentListener;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iVvy request budget for the whole consumer group, with no coordination service: each instance takes the share
 * of its input partitions, budget × held ÷ partitions of the topic, recomputed on every rebalance, so the shares add
 * up to the budget however many instances run. An instance holding partitions never gets less than a floor (one call
 * a second, or the whole budget if that is smaller), so a probe of the iVvy circuit always gets through; an instance
 * holding none has nothing to call for.
 */
public final class GroupBudget implements AssignmentListener {

    private static final Logger LOG = LoggerFactory.getLogger(GroupBudget.class);
    private static final double FLOOR_PER_SECOND = 1.0;

    private final double budgetPerSecond;
    private final IvvyRateLimiter limiter;

    public GroupBudget(double budgetPerSecond, IvvyRateLimiter limiter) {
        this.budgetPerSecond = budgetPerSecond;
        this.limiter = limiter;
    }

    @Override
    public void assignmentChanged(Set<TopicPartition> held, int partitionsOfTopic) {
        double share = shareOf(held.size(), partitionsOfTopic);
        limiter.share(share);
        LOG.info("iVvy request budget: {} of the group's {}/s ({} of {} input partitions); calls spaced to {}/s",
                round(share), round(budgetPerSecond), held.size(), partitionsOfTopic, round(limiter.ratePerSecond()));
    }

    /** This instance's share, per second, when it holds {@code held} of the topic's {@code partitions}. */
    double shareOf(int held, int partitions) {
        if (held == 0 || partitions == 0) {
            return Math.min(budgetPerSecond, FLOOR_PER_SECOND);
        }
        return Math.max(budgetPerSecond * held / partitions, Math.min(budgetPerSecond, FLOOR_PER_SECOND));
    }

    private static String round(double perSecond) {
        return String.format("%.2f", perSecond);
    }
}
