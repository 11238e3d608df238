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
        GroupBudget budget = new GroupBudget(30, false, limiter);
        budget.assignmentChanged(partitions(1, 2), 6, 1);
        assertThat(limiter.ratePerSecond()).as("9/10 of 30/s over 6 partitions, times 2").isCloseTo(9.0, within(1e-9));
        budget.assignmentChanged(partitions(1, 2, 3), 6, 1);
        assertThat(limiter.ratePerSecond()).isCloseTo(13.5, within(1e-9));
    }

    @Test
    void theInstancesOwnLimitStillHoldsWhenItIsLower() {
        IvvyRateLimiter limiter = new IvvyRateLimiter(4, Duration.ofSeconds(30), clock);
        new GroupBudget(30, false, limiter).assignmentChanged(partitions(0, 1, 2), 6, 1);
        assertThat(limiter.ratePerSecond()).isEqualTo(4.0);
    }

    @Test
    void theMemberHoldingPartitionZeroAlsoGetsTheChangeCapturesSlice() {
        GroupBudget budget = new GroupBudget(30, true, null);
        assertThat(budget.shareOf(3, 6, true)).as("8/10 of 30 over half the partitions, plus 3").isCloseTo(15.0, within(1e-9));
        assertThat(budget.shareOf(3, 6, false)).isCloseTo(12.0, within(1e-9));
        assertThat(new GroupBudget(30, false, null).shareOf(3, 6, true)).as("no change capture, no slice")
                .isCloseTo(13.5, within(1e-9));
    }

    /**
     * Issue 19, item E: a budget of 2/s over 6 partitions, one member a partition. The old floor of 1/s a member made
     * the group send 6/s; now the members, the change capture and a backfill beside them add up to 2/s.
     */
    @Test
    void aBudgetBelowThePartitionCountIsKeptWithABackfillBeside() {
        GroupBudget budget = new GroupBudget(2, true, null);
        double total = GroupBudget.forSyncCommand(2);
        for (int p = 0; p < 6; p++) {
            total += budget.shareOf(1, 6, p == 0);
        }
        assertThat(total).isCloseTo(2.0, within(1e-9));
        assertThat(budget.shareOf(1, 6, false)).as("less than a call a second, and still some").isBetween(0.2, 0.3);
    }

    /**
     * Seeded: whatever the budget (below the partition count too) and however the members split the partitions, the
     * members' shares, the change capture's slice and a backfill beside them never pass the budget.
     */
    @Test
    void noAssignmentLetsTheGroupAndABackfillPassTheBudget() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            int partitions = 1 + random.nextInt(24);
            int members = 1 + random.nextInt(partitions);
            double budget = 0.1 + random.nextDouble() * 50;
            boolean changeCapture = random.nextBoolean();
            List<Set<Integer>> held = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                held.add(new HashSet<>());
            }
            for (int p = 0; p < partitions; p++) {
                held.get(random.nextInt(members)).add(p);
            }
            GroupBudget rule = new GroupBudget(budget, changeCapture, null);
            double total = GroupBudget.forSyncCommand(budget) + held.stream().filter(h -> !h.isEmpty())
                    .mapToDouble(h -> rule.shareOf(h.size(), partitions, h.contains(0))).sum();
            assertThat(total).as("round %d", round).isLessThanOrEqualTo(budget + 1e-9);
            assertThat(total).as("round %d: the budget is used", round).isGreaterThan(budget * 0.79);
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
