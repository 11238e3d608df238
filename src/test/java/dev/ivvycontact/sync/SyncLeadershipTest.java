package dev.ivvycontact.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The member holding partition 0 leads; losing it waits for the run to stop, so two members never run at once. */
class SyncLeadershipTest {

    private static final Set<TopicPartition> WITH_ZERO = Set.of(new TopicPartition("in", 0), new TopicPartition("in", 2));
    private static final Set<TopicPartition> WITHOUT_ZERO = Set.of(new TopicPartition("in", 1));

    @Test
    void onlyTheHolderOfPartitionZeroStartsARun() {
        SyncLeadership leadership = new SyncLeadership(Duration.ofSeconds(1));
        assertThat(leadership.tryStart()).isFalse();
        leadership.assignmentChanged(WITHOUT_ZERO, 3, 1);
        assertThat(leadership.tryStart()).isFalse();
        leadership.assignmentChanged(WITH_ZERO, 3, 1);
        assertThat(leadership.leads()).isTrue();
        assertThat(leadership.tryStart()).isTrue();
        leadership.finished();
        leadership.assignmentChanged(Set.of(), 0, 1);
        assertThat(leadership.leads()).isFalse();
    }

    /**
     * Issue 18, item E: a leadership's epoch is the group generation it gained partition 0 in (a fencing token that
     * only grows), kept while it leads.
     */
    @Test
    void aLeadershipsEpochIsTheGenerationItGainedTheLeadInAndTheCommandIsNoMemberOfTheGroup() {
        SyncLeadership leadership = new SyncLeadership(Duration.ofSeconds(1));
        leadership.assignmentChanged(WITH_ZERO, 3, 4);
        leadership.assignmentChanged(WITH_ZERO, 3, 5); // a rebalance that leaves partition 0 here: the same leadership
        assertThat(leadership.epoch()).isEqualTo(4);
        leadership.assignmentChanged(WITHOUT_ZERO, 3, 6);
        leadership.assignmentChanged(WITH_ZERO, 3, 9);
        assertThat(leadership.epoch()).isEqualTo(9);
        assertThat(leadership.inGroup()).isTrue();
        assertThat(SyncLeadership.always().inGroup()).isFalse();
    }

    @Test
    void losingPartitionZeroStopsTheRunAndWaitsForItBeforeHandingOver() throws Exception {
        SyncLeadership leadership = new SyncLeadership(Duration.ofSeconds(30));
        leadership.assignmentChanged(WITH_ZERO, 3, 1);
        assertThat(leadership.tryStart()).isTrue();

        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> leadership.assignmentChanged(WITHOUT_ZERO, 3, 1));
        // The run sees at its next page that it no longer leads, while the revocation is still waiting for it.
        while (leadership.leads()) {
            Thread.onSpinWait();
        }
        assertThat(revocation).isNotDone();
        leadership.finished();
        revocation.get(10, TimeUnit.SECONDS);
        assertThat(leadership.tryStart()).isFalse();
    }

    @Test
    void aRunThatNeverStopsDelaysTheHandOverOnlyAsLongAsAllowed() throws Exception {
        SyncLeadership leadership = new SyncLeadership(Duration.ofMillis(200));
        leadership.assignmentChanged(WITH_ZERO, 3, 1);
        assertThat(leadership.tryStart()).isTrue();
        CompletableFuture.runAsync(() -> leadership.assignmentChanged(WITHOUT_ZERO, 3, 1)).get(10, TimeUnit.SECONDS);
        assertThat(leadership.leads()).isFalse();
    }

    @Test
    void theSyncCommandAlwaysLeads() {
        SyncLeadership always = SyncLeadership.always();
        assertThat(always.tryStart()).isTrue();
        always.finished();
        assertThat(always.leads()).isTrue();
    }

    /**
     * Seeded: two members, partition 0 moved between them at random moments as the group coordinator moves it (the
     * old holder's revocation completes before the new holder is told), each member running page after page while it
     * leads. Against the model of one lock: never two runs inside a page at once.
     */
    @Test
    void twoMembersNeverRunAtOnceWhilePartitionZeroMoves() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            SyncLeadership[] members = {new SyncLeadership(Duration.ofSeconds(10)), new SyncLeadership(Duration.ofSeconds(10))};
            AtomicInteger inPage = new AtomicInteger();
            AtomicInteger maxInPage = new AtomicInteger();
            AtomicInteger pages = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(2);
            List<Thread> runners = new ArrayList<>();
            for (SyncLeadership member : members) {
                long memberSeed = random.nextLong();
                Thread runner = new Thread(() -> {
                    Random own = new Random(memberSeed);
                    while (!stop.get()) {
                        if (!member.tryStart()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        try {
                            for (int page = 0; page < 1 + own.nextInt(5) && member.leads(); page++) {
                                maxInPage.accumulateAndGet(inPage.incrementAndGet(), Math::max);
                                pages.incrementAndGet();
                                busy(own.nextInt(200));
                                inPage.decrementAndGet();
                            }
                        } finally {
                            member.finished();
                        }
                    }
                    done.countDown();
                });
                runner.start();
                runners.add(runner);
            }
            int holder = random.nextInt(2);
            members[holder].assignmentChanged(WITH_ZERO, 3, 1);
            for (int move = 0; move < 200; move++) {
                busy(random.nextInt(300));
                members[holder].assignmentChanged(WITHOUT_ZERO, 3, 1);
                holder = random.nextInt(2);
                members[holder].assignmentChanged(WITH_ZERO, 3, 1);
            }
            stop.set(true);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(maxInPage.get()).as("seed %d: runs inside a page at once", seed).isEqualTo(1);
            assertThat(pages.get()).as("seed %d: pages run", seed).isPositive();
        }
    }

    /** Spins for about {@code micros} microseconds (a page's work, without sleeping the thread away). */
    private static void busy(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
