package dev.ivvycontact.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PartitionLeaseTest {

    private final PartitionLease lease = new PartitionLease();

    @Test
    void closingStopsNewRoundsButLetsRunningOnesPublishUntilTheRevocation() {
        assertThat(lease.tryStartRound()).isTrue();
        lease.close();
        assertThat(lease.held()).isFalse();
        assertThat(lease.tryStartRound()).isFalse();
        assertThat(lease.mayPublish()).isTrue();
        lease.revoke();
        assertThat(lease.mayPublish()).isFalse();
        lease.close();
        assertThat(lease.mayPublish()).as("closing again does not undo the revocation").isFalse();
    }

    @Test
    void aDrainWaitsForRunningRoundsAndGivesUpAtItsDeadline() throws Exception {
        long[] now = {0};
        MonotonicClock clock = () -> now[0];
        assertThat(lease.awaitIdle(clock, 0)).isTrue();
        lease.tryStartRound();
        lease.close();
        now[0] = 10;
        assertThat(lease.awaitIdle(clock, 5)).isFalse();

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return lease.awaitIdle(MonotonicClock.SYSTEM, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        lease.roundEnded();
        assertThat(drained.get(30, TimeUnit.SECONDS)).isTrue();
    }
}
