package dev.ivvycontact.benchmark;

import dev.ivvycontact.commands.PipelineCli;
import dev.ivvycontact.sandbox.IvvySandbox;
import dev.ivvycontact.sandbox.SampleContacts;
import dev.ivvycontact.signing.ApiCredentials;
import dev.ivvycontact.signing.IvvySigner;
import dev.ivvycontact.testsupport.ChildJvm;
import dev.ivvycontact.testsupport.EmbeddedKafkaBroker;
import dev.ivvycontact.testsupport.FreePort;
import dev.ivvycontact.testsupport.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The throughput benchmark (not a test: it prints figures and asserts nothing but that every output arrived). The
 * embedded broker and the sandbox run in this JVM; each subject runs in a JVM of its own, so its CPU is measured
 * apart, against the same broker, sandbox and latency, at the same in-flight, one after the other:
 * <ul>
 *   <li>{@code pipeline}: this module, started exactly as {@code run};</li>
 *   <li>{@code hand-written}: {@link HandWrittenPipeline}, kafka-clients + java.net.http async + Jackson;</li>
 *   <li>{@code camel-route}: {@link SequentialBaseline}, the plain camel-kafka route (one call at a time per
 *       partition), on fewer ids since it is slow.</li>
 * </ul>
 * Each warms up, then drains a backlog of ids. Its rate is the steady rate from the first to the last contact landed
 * (their CreateTime); its CPU is the subject's own over the measured ids; every output of every measured id is
 * counted against the sandbox's data before a figure is printed. For the pipeline also: end-to-end latency at a paced
 * half of its rate, and its peak heap. Parameters are system properties, see the benchmark profile in pom.xml.
 */
public final class Benchmark {

    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} ([0-9.eE+-]+)$");
    private static final List<String> OUTPUT_TOPICS = List.of("TOPIC_CONTACTS", "TOPIC_REGISTRATIONS", "TOPIC_INVOICES",
            "TOPIC_INVITATIONS");

    private final long latencyMs = Long.getLong("bench.latencyMs", 50);
    private final int ids = Integer.getInteger("bench.ids", 20_000);
    private final int inFlight = Integer.getInteger("bench.inFlight", 64);
    private final int partitions = Integer.getInteger("bench.partitions", 3);
    private final int camelRouteIds = Integer.getInteger("bench.camelRouteIds", 300);
    private final String heap = System.getProperty("bench.heap", "256m");
    private final int warmUp = Integer.getInteger("bench.warmUp", 20_000);
    private final List<String> subjects = List.of(System.getProperty("bench.subjects",
            "pipeline,hand-written,camel-route").split(","));
    /** Runs the pipeline from this jar (as deployed) instead of the test classpath; with its CDS archive beside it. */
    private final String pipelineJar = System.getProperty("bench.pipelineJar", "");
    private final List<String> childJvmOptions = List.of(System.getProperty("bench.childJvmOptions", "").split(" "))
            .stream().filter(o -> !o.isBlank()).toList();

    private EmbeddedKafkaBroker broker;
    private IvvySandbox sandbox;
    private KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private long nextId = 1;

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf("Benchmark: L=%d ms, %d ids, in-flight %d, %d partitions, -Xmx%s, %d cores, warm-up %d%n",
                latencyMs, ids, inFlight, partitions, heap, Runtime.getRuntime().availableProcessors(), warmUp);
        Map<String, Result> results = new LinkedHashMap<>();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(); IvvySandbox ivvy = IvvySandbox.start(0)) {
            broker = kafka;
            sandbox = ivvy;
            warmSandbox(3_000);
            sandbox.setLatency(Duration.ofMillis(latencyMs));
            // The load: not idempotent (one request in flight keeps it in order), because an idempotent producer
            // writing to topics created moments before sometimes restarts a partition's sequence at 0 here and is
            // refused (OutOfOrderSequence) until its batches expire, which would stall a run for minutes.
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "5",
                    "enable.idempotence", "false", "max.in.flight.requests.per.connection", "1"),
                    new ByteArraySerializer(), new ByteArraySerializer());
            for (String subject : subjects) {
                results.put(subject, switch (subject) {
                    case "pipeline" -> measure(subject, PipelineCli.class.getName(), ids, warmUp, true, Map.of());
                    case "pipeline-exactly-once" -> measure(subject, PipelineCli.class.getName(), ids, warmUp, true,
                            Map.of("PIPELINE_PROCESSING_GUARANTEE", "exactly_once"));
                    case "hand-written" -> measure(subject, HandWrittenPipeline.class.getName(), ids, warmUp, false,
                            Map.of());
                    case "camel-route" -> measure(subject, SequentialBaseline.class.getName(), camelRouteIds, 30, false,
                            Map.of());
                    default -> throw new IllegalArgumentException("no subject " + subject);
                });
            }
            producer.close();
        }
        report(results);
    }

    /**
     * Signed getContact calls to the sandbox before any subject runs, so that the first subject's start-up and
     * figures are not paid for by a cold sandbox in this JVM.
     */
    private void warmSandbox(int calls) throws Exception {
        IvvySigner signer = new IvvySigner(new ApiCredentials(IvvySandbox.API_KEY, IvvySandbox.API_SECRET),
                Clock.systemUTC());
        URI getContact = URI.create(sandbox.baseUrl() + HandWrittenPipeline.REQUEST_URI);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore slots = new Semaphore(16);
        for (int i = 1; i <= calls; i++) {
            slots.acquire();
            http.sendAsync(HandWrittenPipeline.signedGetContact(signer, getContact, i),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> slots.release());
        }
        slots.acquire(16);
    }

    private void report(Map<String, Result> results) {
        System.out.println();
        results.forEach((subject, r) -> System.out.printf(
                "%-21s: %8.1f lookups/s   CPU %.3f ms/contact   peak RSS %5.0f MiB%s%s   start to first contact %,d ms"
                        + "   (%d ids, all outputs verified)%n", subject, r.rate, r.cpuMsPerContact, r.peakRssMiB,
                r.peakHeapMiB > 0 ? String.format("   peak heap %5.1f MiB", r.peakHeapMiB) : "",
                Double.isNaN(r.p50) ? "" : String.format("   e2e p50 %5.1f ms  p99 %6.1f ms", r.p50, r.p99),
                r.startUpMs, r.count));
        Result pipeline = results.get("pipeline");
        Result exactlyOnce = results.get("pipeline-exactly-once");
        if (pipeline != null && exactlyOnce != null) {
            System.out.printf("exactly once: %6.2f x the at-least-once rate, CPU per contact %.2f x; e2e p50 +%.1f ms, "
                            + "p99 +%.1f ms%n", exactlyOnce.rate / pipeline.rate,
                    exactlyOnce.cpuMsPerContact / pipeline.cpuMsPerContact, exactlyOnce.p50 - pipeline.p50,
                    exactlyOnce.p99 - pipeline.p99);
        }
        if (pipeline == null) {
            return;
        }
        Result handWritten = results.get("hand-written");
        if (handWritten != null) {
            System.out.printf("ratio       : %6.2f x the hand-written rate; CPU per contact %.2f x, peak RSS %.2f x, start "
                            + "to first contact %.2f x the hand-written%n", pipeline.rate / handWritten.rate,
                    pipeline.cpuMsPerContact / handWritten.cpuMsPerContact, pipeline.peakRssMiB / handWritten.peakRssMiB,
                    (double) pipeline.startUpMs / handWritten.startUpMs);
        }
        Result camelRoute = results.get("camel-route");
        if (camelRoute != null) {
            System.out.printf("ratio       : %6.1f x the plain camel-kafka route%n", pipeline.rate / camelRoute.rate);
        }
        if (latencyMs > 0) {
            double limit = inFlight * 1000.0 / latencyMs;
            System.out.printf("limit       : in-flight / L = %.0f lookups/s; the pipeline reached %.0f %%%n", limit,
                    100 * pipeline.rate / limit);
        }
    }

    private Result measure(String name, String mainClass, int count, int warm, boolean isPipeline,
                           Map<String, String> settings) throws Exception {
        String run = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> env = new HashMap<>(Map.of("TOPIC_INPUT", run + "-in", "TOPIC_CONTACTS", run + "-contacts",
                "TOPIC_REGISTRATIONS", run + "-registrations", "TOPIC_INVOICES", run + "-invoices",
                "TOPIC_INVITATIONS", run + "-invitations", "TOPIC_DLT", run + "-dlt"));
        broker.createTopics(partitions, env.values());
        int port = FreePort.find();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_GROUP_ID", run);
        env.put("IVVY_BASE_URL", sandbox.baseUrl());
        env.put("IVVY_API_KEY", IvvySandbox.API_KEY);
        env.put("IVVY_API_SECRET", IvvySandbox.API_SECRET);
        env.put("PIPELINE_MAX_IN_FLIGHT", Integer.toString(inFlight));
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        env.put("BENCHMARK_CONSUMERS", Integer.toString(partitions));
        env.putAll(settings);
        String input = env.get("TOPIC_INPUT");

        List<String> jvmOptions = new ArrayList<>(childJvmOptions);
        jvmOptions.add("-Xmx" + heap);
        Set<String> warmUpIds = produce(input, warm);
        long started = System.currentTimeMillis();
        try (ChildJvm child = startSubject(env, jvmOptions, mainClass, isPipeline);
             KafkaConsumer<byte[], byte[]> contacts = reader(List.of(env.get("TOPIC_CONTACTS")))) {
            AtomicLong peakHeap = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            if (isPipeline) {
                sampler.scheduleAtFixedRate(() -> sampleHeap(port, peakHeap), 500, 1000, TimeUnit.MILLISECONDS);
            }
            try {
                // The warm-up was waiting before the process started: its first contact landed is the start-up.
                long[] firstLanded = {Long.MAX_VALUE};
                drain(contacts, warmUpIds, record -> firstLanded[0] = Math.min(firstLanded[0], record.timestamp()));
                long startUpMs = firstLanded[0] - started;
                ProcessHandle process = ProcessHandle.of(child.pid()).orElseThrow();
                long cpuBefore = cpuNanos(process);
                Set<String> measured = produce(input, count);
                long[] firstLast = {Long.MAX_VALUE, Long.MIN_VALUE};
                drain(contacts, measured, record -> {
                    firstLast[0] = Math.min(firstLast[0], record.timestamp());
                    firstLast[1] = Math.max(firstLast[1], record.timestamp());
                });
                long cpu = cpuNanos(process) - cpuBefore;
                verifyOutputs(env, measured);
                double rate = (count - 1) * 1000.0 / Math.max(1, firstLast[1] - firstLast[0]);
                double[] latency = isPipeline ? pacedLatency(input, contacts, rate / 2) : new double[] {Double.NaN, Double.NaN};
                long peakRssKiB = peakRssKiB(child.pid());
                System.out.printf("  %s: %d lookups, steady %.1f/s%n", name, count, rate);
                return new Result(count, rate, latency[0], latency[1], peakHeap.get() / 1048576.0, cpu / 1e6 / count,
                        peakRssKiB / 1024.0, startUpMs);
            } finally {
                sampler.shutdownNow();
                child.terminate(60);
                // Kept for reading the start-up's timeline (the log's timestamps) after the run.
                Path log = Path.of("target", "benchmark-" + name + ".log");
                Files.writeString(log, child.output());
            }
        }
    }

    private ChildJvm startSubject(Map<String, String> env, List<String> jvmOptions, String mainClass,
                                  boolean isPipeline) throws IOException {
        if (!isPipeline || pipelineJar.isBlank()) {
            return ChildJvm.start(env, jvmOptions, mainClass, "run");
        }
        Path jar = Path.of(pipelineJar);
        Path archive = Path.of(pipelineJar.replaceFirst("\\.jar$", ".jsa"));
        List<String> options = new ArrayList<>(jvmOptions);
        if (Files.exists(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        }
        return ChildJvm.startJar(env, options, jar, "run");
    }

    /** Every measured id's contact, registrations, invoices and invitations, counted against the sandbox's data. */
    private void verifyOutputs(Map<String, String> env, Set<String> measured) {
        Map<String, Integer> expected = new HashMap<>();
        for (String key : measured) {
            long id = Long.parseLong(key);
            expected.merge(env.get("TOPIC_CONTACTS"), 1, Integer::sum);
            expected.merge(env.get("TOPIC_REGISTRATIONS"), SampleContacts.registrations(id), Integer::sum);
            expected.merge(env.get("TOPIC_INVOICES"), SampleContacts.invoices(id), Integer::sum);
            expected.merge(env.get("TOPIC_INVITATIONS"), SampleContacts.invitations(id), Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        List<String> topics = OUTPUT_TOPICS.stream().map(env::get).toList();
        try (KafkaConsumer<byte[], byte[]> outputs = reader(topics)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!seen.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : outputs.poll(Duration.ofMillis(200))) {
                    if (measured.contains(new String(record.key(), StandardCharsets.US_ASCII))) {
                        seen.merge(record.topic(), 1, Integer::sum);
                    }
                }
            }
        }
        if (!seen.equals(expected)) {
            throw new IllegalStateException("outputs of the measured ids: expected " + expected + ", got " + seen);
        }
    }

    /**
     * Produces ids at {@code rate}/s for about 10 s and returns p50 and p99 of the latency from producing an id to its
     * contact reaching a read_committed reader, in ms (so exactly once's commit interval counts).
     */
    private double[] pacedLatency(String input, KafkaConsumer<byte[], byte[]> reader, double rate) throws Exception {
        int count = (int) Math.max(200, Math.min(rate * 10, 20_000));
        long intervalNanos = (long) (1e9 / rate);
        List<byte[]> keys = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            byte[] key = nextKey();
            keys.add(key);
            expected.add(new String(key, StandardCharsets.US_ASCII));
        }
        // Read while producing: a contact's latency ends when the reader gets it.
        List<Long> latencies = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> drain(reader, expected,
                record -> latencies.add(System.currentTimeMillis() - Long.parseLong(
                        new String(record.headers().lastHeader("correlation-id").value(), StandardCharsets.US_ASCII)))));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * intervalNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            // The produce time rides in the correlation-id, which every output carries back.
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(input, keys.get(i), keys.get(i));
            record.headers().add("correlation-id",
                    Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
            producer.send(record, this::sent);
        }
        reading.get();
        latencies.sort(null);
        return new double[] {latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99))};
    }

    private Set<String> produce(String input, int count) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            byte[] key = nextKey();
            keys.add(new String(key, StandardCharsets.US_ASCII));
            producer.send(new ProducerRecord<>(input, key, key), this::sent);
        }
        producer.flush();
        return keys;
    }

    /** The next id the sandbox knows (its multiples of 7 are not found): every id of a run is different. */
    private byte[] nextKey() {
        while (!SampleContacts.exists(nextId)) {
            nextId++;
        }
        return Long.toString(nextId++).getBytes(StandardCharsets.US_ASCII);
    }

    /** An input the benchmark could not produce never arrives: say so at once rather than wait for the deadline. */
    private void sent(RecordMetadata metadata, Exception failure) {
        if (failure != null) {
            sendFailure.compareAndSet(null, failure);
        }
    }

    /** Reads contacts until every one of {@code keys} has arrived, handing each of them to {@code seen}. */
    private void drain(KafkaConsumer<byte[], byte[]> reader, Set<String> keys,
                       java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> seen) {
        Set<String> missing = new HashSet<>(keys);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            if (sendFailure.get() != null) {
                throw new IllegalStateException("the benchmark could not produce its input", sendFailure.get());
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                if (missing.remove(new String(record.key(), StandardCharsets.US_ASCII)) && seen != null) {
                    seen.accept(record);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " of " + keys.size() + " contacts did not arrive");
        }
    }

    private KafkaConsumer<byte[], byte[]> reader(List<String> topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "group.id", "bench-reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false", "isolation.level", "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(topics);
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

    /** The process's peak resident set (VmHWM), as Linux counts it; 0 where there is no /proc. */
    private static long peakRssKiB(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(0);
        } catch (IOException noProc) {
            return 0;
        }
    }

    private record Result(int count, double rate, double p50, double p99, double peakHeapMiB, double cpuMsPerContact,
                          double peakRssMiB, long startUpMs) {
    }
}
