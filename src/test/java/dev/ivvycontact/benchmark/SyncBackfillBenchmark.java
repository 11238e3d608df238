package dev.ivvycontact.benchmark;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.KafkaTestBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * A backfill of a large account through the {@code sync} command, in its own JVM with a small heap, against the
 * sandbox (contacts modified a thousand a second) and an embedded broker: how many ids, in how many chunks, how long,
 * and the peak heap the GC log shows (issue 18, item A: memory bounded by a chunk, not by the window).
 * {@code mvn -B -q -Psync-backfill test-compile exec:exec [-Dbackfill.ids=200000 -Dbackfill.xmx=128m
 * -Dbackfill.chunk=10000]}
 */
public final class SyncBackfillBenchmark {

    private static final Pattern HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private SyncBackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("backfill.ids", 200_000);
        String xmx = System.getProperty("backfill.xmx", "128m");
        String chunk = System.getProperty("backfill.chunk", "10000");
        Instant from = Instant.parse("2026-11-15T00:00:00Z"); // after the sandbox's own account, and past
        try (KafkaTestBroker broker = KafkaTestBroker.start(); IvvySandbox sandbox = IvvySandbox.start(0)) {
            broker.createTopics(3, List.of("backfill-in"));
            broker.createTopics(1, List.of("backfill-state"), Map.of("cleanup.policy", "compact"));
            List<Long> ids = LongStream.iterate(10_000_000, id -> id + 1).filter(SampleContacts::exists).limit(count)
                    .boxed().toList();
            for (int second = 0; second * 1000 < ids.size(); second++) {
                sandbox.modify(ids.subList(second * 1000, Math.min(ids.size(), (second + 1) * 1000)), from.plusSeconds(second));
            }
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("IVVY_BASE_URL", sandbox.baseUrl());
            env.put("IVVY_API_KEY", IvvySandbox.API_KEY);
            env.put("IVVY_API_SECRET", IvvySandbox.API_SECRET);
            env.put("TOPIC_INPUT", "backfill-in");
            env.put("TOPIC_SYNC_STATE", "backfill-state");
            env.put("SYNC_CHUNK_IDS", chunk);
            env.put("MANAGEMENT_PORT", Integer.toString(FreePort.find()));
            Path gcLog = Files.createTempFile("backfill-gc", ".log");
            long started = System.nanoTime();
            try (ChildJvm sync = ChildJvm.start(env, List.of("-Xmx" + xmx, "-Xlog:gc:file=" + gcLog),
                    PipelineCli.class.getName(), "sync", "--since", from.toString(),
                    "--until", from.plusSeconds(ids.size() / 1000 + 1).toString())) {
                int exit = sync.waitFor(1800);
                double seconds = (System.nanoTime() - started) / 1e9;
                String output = sync.output();
                long splits = output.lines().filter(line -> line.contains("reading it in two halves")).count();
                String summary = output.lines().filter(line -> line.startsWith("Summary")).findFirst().orElse("(no summary)");
                long peak = 0;
                Matcher m = HEAP.matcher(Files.readString(gcLog));
                while (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
                System.out.printf("backfill: %d ids modified over %d s, -Xmx%s, SYNC_CHUNK_IDS %s: exit %d, %s%n",
                        ids.size(), ids.size() / 1000, xmx, chunk, exit, summary);
                System.out.printf("  %d chunks (%d splits), %.1f s in all, peak heap before a GC %d MiB%n", splits + 1,
                        splits, seconds, peak);
                if (exit != 0) {
                    System.out.println(output.lines().skip(Math.max(0, output.lines().count() - 20)).toList());
                }
            }
        }
    }
}
