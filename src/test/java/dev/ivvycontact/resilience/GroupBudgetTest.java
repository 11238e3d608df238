package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupBudgetTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void aShareFollowsThePartitionsHeld() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(0, Duration.ofSeconds(30), clock);
        GroupBudget budget = new GroupBudget(30, limiter);
        budget.assignmentChanged(partitions(0, 1), 6);
        assertThat(limiter.ratePerSecond()).isEqualTo(10.0);
        budget.assignmentChanged(partitions(0, 1, 2), 6);
        assertThat(limiter.ratePerSecond()).isEqualTo(15.0);
    }

    @Test
    void theInstancesOwnLimitStillHoldsWhenItIsLower() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(4, Duration.ofSeconds(30), clock);
        new GroupBudget(30, limiter).assignmentChanged(partitions(0, 1, 2), 6);
        assertThat(limiter.ratePerSecond()).isEqualTo(4.0);
    }

    @Test
    void aShareNeverFallsBelowTheFloorSoAProbeGetsThrough() {
        GroupBudget budget = new GroupBudget(5, new IvvyRateLimiter(0, Duration.ofSeconds(30), clock));
        assertThat(budget.shareOf(1, 100)).isEqualTo(1.0);
        assertThat(budget.shareOf(0, 100)).isEqualTo(1.0);
        assertThat(new GroupBudget(0.5, null).shareOf(1, 100)).isEqualTo(0.5);
    }

    /** Seeded: however the group's members split the partitions, their shares add up to the budget. */
    @Test
    void sharesOfAnyAssignmentAddUpToTheBudget() {
        Random random = new Random(42);
        for (int round = 0; round < 1000; round++) {
            int partitions = 1 + random.nextInt(24);
            int members = 1 + random.nextInt(partitions);
            double budget = partitions * (1 + random.nextInt(20)); // at least the floor per partition
            List<Integer> held = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                held.add(0);
            }
            for (int p = 0; p < partitions; p++) {
                int member = random.nextInt(members);
                held.set(member, held.get(member) + 1);
            }
            GroupBudget rule = new GroupBudget(budget, null);
            double total = held.stream().filter(h -> h > 0).mapToDouble(h -> rule.shareOf(h, partitions)).sum();
            assertThat(total).as("round %d", round).isCloseTo(budget, within(1e-9));
        }
    }

    private static Set<TopicPartition> partitions(int... numbers) {
        Set<TopicPartition> held = new HashSet<>();
        for (int n : numbers) {
            held.add(new TopicPartition("in", n));
        }
        return held;
    }
}
