package dev.ivvycontact.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.Deliveries;
import dev.ivvycontact.testsupport.Http;
import dev.ivvycontact.testsupport.PipelineTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: three instances (separate JVMs) on one broker share one iVvy budget of 30 calls/s by their input
 * partitions (6). On average the sandbox sees the lookups' part of it (nine tenths: a tenth stays for a backfill beside
 * the group) and never more; in any one second at most that plus
 * one call per instance (spacing allows no more burst) plus the arrival jitter of a shared machine. Every contact is
 * delivered, and when one instance stops the other two take up its share within the rebalance.
 */
class GroupBudgetIT extends PipelineTestBase {

    private static final int BUDGET = 30;
    /** The lookups' part of the budget: a tenth stays for a sync command run beside the group. */
    private static final double LOOKUPS = BUDGET * 0.9;
    private static final int JITTER = 5;
    private static final Pattern RATE = Pattern.compile("(?m)^pipeline_ivvy_rate_limit_per_second\\{[^}]*} ([0-9.eE+-]+)$");
    private static final Pattern CALLS = Pattern.compile("(?m)^ivvy_calls_seconds_count\\{action=\"getContact\",outcome=\"2xx\"[^}]*} ([0-9.eE+-]+)$");

    @Override
    protected int inputPartitions() {
        return 6;
    }

    @Test
    void threeInstancesStayWithinOneBudgetAndTwoTakeUpTheThirdsShare() throws Exception {
        sandbox.setLatency(Duration.ofMillis(20));
        List<String> warmUp = existingIds(49_900, 49_940);
        List<String> ids = existingIds(50_000, 51_500);
        List<ChildJvm> instances = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Map<String, String> env = pipelineEnvironment();
                env.put("PIPELINE_GROUP_MAX_REQUESTS_PER_SECOND", Integer.toString(BUDGET));
                // A few seconds of work in memory at a share of 10/s, so that a stop drains quickly (see README).
                env.put("PIPELINE_MAX_BUFFERED_RECORDS", "40");
                ports.add(Integer.parseInt(env.get("MANAGEMENT_PORT")));
                instances.add(ChildJvm.start(env, List.of("-Xmx256m"), PipelineCli.class.getName(), "run"));
            }
            // Two partitions each: a share of 9/s each.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ports.stream().allMatch(port -> Math.abs(rate(port) - LOOKUPS / 3) < 0.01));
            producer.sendIds(topics.input(), warmUp); // the sandbox's connections and every JIT warm
            Deliveries.await(broker.bootstrapServers(), topics.contacts(), warmUp, Duration.ofSeconds(60));
            int callsBefore = sandbox.getContactCallTimes().size();
            long[] callsAtStart = ports.stream().mapToLong(GroupBudgetIT::calls).toArray();
            long startedAt = System.nanoTime();
            producer.sendIds(topics.input(), ids);
            Thread.sleep(10_000);
            long[] threeCalls = ports.stream().mapToLong(GroupBudgetIT::calls).toArray();
            long stoppedAt = System.nanoTime();
            instances.get(2).terminate(60);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ports.subList(0, 2).stream().allMatch(port -> Math.abs(rate(port) - LOOKUPS / 2) < 0.01));
            long rebalancedAt = System.nanoTime();
            long[] twoCalls = ports.subList(0, 2).stream().mapToLong(GroupBudgetIT::calls).toArray();
            Thread.sleep(8_000);
            long[] twoCallsLater = ports.subList(0, 2).stream().mapToLong(GroupBudgetIT::calls).toArray();

            Deliveries contacts = Deliveries.await(broker.bootstrapServers(), topics.contacts(), ids, Duration.ofSeconds(120));
            assertThat(contacts.keys()).containsAll(ids);

            List<Long> times = sandbox.getContactCallTimes().subList(callsBefore, sandbox.getContactCallTimes().size());
            int busiest = busiestSecond(times);
            long t0 = times.get(0);
            int[] perSecond = new int[(int) ((times.get(times.size() - 1) - t0) / 1_000_000_000L) + 1];
            times.forEach(t -> perSecond[(int) ((t - t0) / 1_000_000_000L)]++);
            System.out.println("calls per second: " + java.util.Arrays.toString(perSecond) + ", stop at "
                    + (stoppedAt - t0) / 1_000_000 + " ms, rebalanced at " + (rebalancedAt - t0) / 1_000_000 + " ms");
            double beforeStop = rate(times, stoppedAt - Duration.ofSeconds(6).toNanos(), stoppedAt - Duration.ofSeconds(1).toNanos());
            double afterRebalance = rate(times, rebalancedAt + Duration.ofSeconds(1).toNanos(), rebalancedAt + Duration.ofSeconds(7).toNanos());
            System.out.printf("group budget %d/s, 3 instances then 2: at most %d calls in any 1 s; %.1f/s in total before the "
                            + "stop (per instance: %s), %.1f/s after the rebalance (per instance, over 8 s: %s); "
                            + "the rebalance took %d ms%n", BUDGET, busiest, beforeStop,
                    perSecond(threeCalls, callsAtStart, (stoppedAt - startedAt) / 1e9), afterRebalance,
                    perSecond(twoCallsLater, twoCalls, 8), Duration.ofNanos(rebalancedAt - stoppedAt).toMillis());
            // Spacing allows one call more per instance in a second; on this shared 2-core machine the sandbox's own
            // scheduling (it shares a JVM with the broker) bunches a few arrivals more.
            assertThat(busiest).isLessThanOrEqualTo((int) LOOKUPS + 3 + JITTER);
            assertThat(beforeStop).isBetween(0.8 * LOOKUPS, LOOKUPS + 1.0);
            assertThat(afterRebalance).isBetween(0.8 * LOOKUPS, LOOKUPS + 1.0);
        } finally {
            for (ChildJvm instance : instances) {
                instance.close();
            }
        }
    }

    private static double rate(int port) {
        return scrape(port, RATE);
    }

    private static long calls(int port) {
        return (long) scrape(port, CALLS);
    }

    private static double scrape(int port, Pattern series) {
        try {
            Matcher m = series.matcher(Http.get(port, "/observe/metrics").body());
            return m.find() ? Double.parseDouble(m.group(1)) : -1;
        } catch (Exception notUpYet) {
            return -1;
        }
    }

    private static String perSecond(long[] now, long[] before, double seconds) {
        List<String> rates = new ArrayList<>();
        for (int i = 0; i < now.length; i++) {
            rates.add(String.format("%.1f", (now[i] - before[i]) / seconds));
        }
        return String.join(" + ", rates);
    }

    private static double rate(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t < to).count() / ((to - from) / 1e9);
    }

    private static int busiestSecond(List<Long> times) {
        int busiest = 0;
        for (int i = 0; i < times.size(); i++) {
            int j = i;
            while (j < times.size() && times.get(j) - times.get(i) < Duration.ofSeconds(1).toNanos()) {
                j++;
            }
            busiest = Math.max(busiest, j - i);
        }
        return busiest;
    }
}
