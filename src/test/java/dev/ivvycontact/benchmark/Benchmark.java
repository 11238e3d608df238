package dev.ivvycontact.benchmark;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.EmbeddedKafkaBroker;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The throughput benchmark (not a test): the embedded broker and the sandbox in this JVM, the pipeline in its own
 * JVM (so its CPU is measured apart), ids with registrations, invoices and invitations. It prints lookups/s,
 * end-to-end latency p50/p99 (input produced to contact published, at a paced rate), the pipeline's peak heap and
 * CPU per contact, and the sequential baseline measured in the same run. Parameters are system properties:
 * bench.latencyMs, bench.ids, bench.inFlight, bench.partitions, bench.baselineIds (0: no baseline), bench.heap, bench.warmUp, and
 * bench.childJvmOptions (e.g. a JFR recording of the pipeline).
 */
public final class Benchmark {

    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.eE+-]+)$");

    private final long latencyMs = Long.getLong("bench.latencyMs", 50);
    private final int ids = Integer.getInteger("bench.ids", 20_000);
    private final int inFlight = Integer.getInteger("bench.inFlight", 64);
    private final int partitions = Integer.getInteger("bench.partitions", 3);
    private final int baselineIds = Integer.getInteger("bench.baselineIds", 300);
    private final String heap = System.getProperty("bench.heap", "256m");
    private final int warmUp = Integer.getInteger("bench.warmUp", 20_000);
    private final List<String> childJvmOptions = List.of(System.getProperty("bench.childJvmOptions", "").split(" "))
            .stream().filter(o -> !o.isBlank()).toList();

    private EmbeddedKafkaBroker broker;
    private IvvySandbox sandbox;
    private KafkaProducer<byte[], byte[]> producer;
    private long nextId = 1;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("Benchmark: L=%d ms, %d ids, in-flight %d, %d partitions, -Xmx%s, %d cores%n",
                latencyMs, ids, inFlight, partitions, heap, Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(); IvvySandbox ivvy = IvvySandbox.start(0)) {
            broker = kafka;
            sandbox = ivvy;
            sandbox.setLatency(Duration.ofMillis(latencyMs));
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "5"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            Result pipeline = measure("pipeline", PipelineCli.class.getName(), ids, true);
            Result baseline = baselineIds > 0 ? measure("baseline", SequentialBaseline.class.getName(), baselineIds, false)
                    : new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            double limit = latencyMs == 0 ? Double.NaN : inFlight * 1000.0 / latencyMs;
            System.out.println();
            System.out.printf("pipeline : %8.1f lookups/s   e2e p50 %6.1f ms  p99 %6.1f ms   peak heap %5.1f MiB   "
                            + "CPU %.3f ms/contact (broker+sandbox+driver %.3f ms/contact)%n", pipeline.rate,
                    pipeline.p50, pipeline.p99, pipeline.peakHeapMiB, pipeline.cpuMsPerContact, pipeline.otherCpuMsPerContact);
            System.out.printf("baseline : %8.1f lookups/s   (plain camel-kafka route, one call at a time per partition)%n",
                    baseline.rate);
            System.out.printf("ratio    : %8.1f x the baseline%s%n", pipeline.rate / baseline.rate, Double.isNaN(limit) ? ""
                    : String.format("; limit in-flight/L = %.0f lookups/s, reached %.0f %%", limit, 100 * pipeline.rate / limit));
            producer.close();
        }
    }

    private Result measure(String name, String mainClass, int count, boolean latencyPhase) throws Exception {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> topics = Map.of("TOPIC_INPUT", run + "-in", "TOPIC_CONTACTS", run + "-contacts",
                "TOPIC_REGISTRATIONS", run + "-registrations", "TOPIC_INVOICES", run + "-invoices",
                "TOPIC_INVITATIONS", run + "-invitations", "TOPIC_DLT", run + "-dlt");
        broker.createTopics(partitions, topics.values());
        int port = FreePort.find();
        Map<String, String> env = new java.util.HashMap<>(topics);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_GROUP_ID", run);
        env.put("IVVY_BASE_URL", sandbox.baseUrl());
        env.put("IVVY_API_KEY", IvvySandbox.API_KEY);
        env.put("IVVY_API_SECRET", IvvySandbox.API_SECRET);
        env.put("PIPELINE_MAX_IN_FLIGHT", Integer.toString(inFlight));
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        env.put("BENCHMARK_CONSUMERS", Integer.toString(partitions));
        String input = topics.get("TOPIC_INPUT");
        String contacts = topics.get("TOPIC_CONTACTS");

        List<String> jvmOptions = new ArrayList<>(childJvmOptions);
        jvmOptions.add("-Xmx" + heap);
        try (ChildJvm child = ChildJvm.start(env, jvmOptions, mainClass, "run");
             KafkaConsumer<byte[], byte[]> reader = reader(contacts)) {
            AtomicLong peakHeap = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> sampleHeap(port, peakHeap), 500, 1000, TimeUnit.MILLISECONDS);
            try {
                int warm = latencyPhase ? warmUp : Math.min(warmUp, 30); // the baseline: just until its group has joined
                if (warm > 0) {
                    produce(input, warm);
                    drain(reader, warm);
                }
                ProcessHandle pipelineProcess = ProcessHandle.of(child.pid()).orElseThrow();
                long cpuBefore = cpuNanos(pipelineProcess);
                long otherCpuBefore = cpuNanos(ProcessHandle.current());
                produce(input, count);
                long started = System.nanoTime();
                drain(reader, count);
                double seconds = (System.nanoTime() - started) / 1e9;
                long cpu = cpuNanos(pipelineProcess) - cpuBefore;
                long otherCpu = cpuNanos(ProcessHandle.current()) - otherCpuBefore;
                double rate = count / seconds;
                double[] latency = latencyPhase ? pacedLatency(input, reader, rate / 2) : new double[] {Double.NaN, Double.NaN};
                System.out.printf("  %s: %d lookups in %.1f s%n", name, count, seconds);
                return new Result(rate, latency[0], latency[1], peakHeap.get() / 1048576.0,
                        cpu / 1e6 / count, otherCpu / 1e6 / count);
            } finally {
                sampler.shutdownNow();
                child.terminate(60);
            }
        }
    }

    /** Produces ids at {@code rate}/s for about 10 s and returns p50 and p99 of input-to-contact latency in ms. */
    private double[] pacedLatency(String input, KafkaConsumer<byte[], byte[]> reader, double rate) throws Exception {
        int count = (int) Math.max(200, Math.min(rate * 10, 20_000));
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            // The produce time rides in the correlation-id, which every output carries back.
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(input, key(nextId), key(nextId++));
            record.headers().add("correlation-id",
                    Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
            producer.send(record);
        }
        List<Long> latencies = new ArrayList<>();
        drain(reader, count, latencies);
        latencies.sort(null);
        return new double[] {latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99))};
    }

    private void produce(String input, int count) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(input, key(nextId), key(nextId++)));
        }
        producer.flush();
    }

    private byte[] key(long id) {
        long existing = id % 7 == 0 ? id + 1 : id; // the sandbox's multiples of 7 are not found
        return Long.toString(existing).getBytes(StandardCharsets.US_ASCII);
    }

    private static void drain(KafkaConsumer<byte[], byte[]> reader, int count) {
        drain(reader, count, null);
    }

    /** Reads {@code count} contacts; with {@code latencies}, records produce-to-publish time of each. */
    private static void drain(KafkaConsumer<byte[], byte[]> reader, int count, List<Long> latencies) {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (seen < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                seen++;
                if (latencies != null) {
                    latencies.add(record.timestamp() - inputTimestamp(record));
                }
            }
        }
        if (seen < count) {
            throw new IllegalStateException("only " + seen + " of " + count + " contacts arrived");
        }
    }

    /** When the contact's input was produced: the correlation-id the paced phase gave it. */
    private static long inputTimestamp(ConsumerRecord<byte[], byte[]> record) {
        return Long.parseLong(new String(record.headers().lastHeader("correlation-id").value(), StandardCharsets.US_ASCII));
    }

    private KafkaConsumer<byte[], byte[]> reader(String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "bench-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void sampleHeap(int port, AtomicLong peak) {
        try {
            Matcher m = HEAP.matcher(Http.get(port, "/observe/metrics").body());
            long used = 0;
            while (m.find()) {
                used += (long) Double.parseDouble(m.group(1));
            }
            peak.accumulateAndGet(used, Math::max);
        } catch (Exception notUpYet) {
            // The pipeline is starting or stopping; the next sample will tell.
        }
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private record Result(double rate, double p50, double p99, double peakHeapMiB, double cpuMsPerContact,
                          double otherCpuMsPerContact) {
    }
}
