package dev.ivvycontact.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ivvycontact.model.ContactListRequest;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.signing.IvvySigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small fake iVvy platform on loopback (JDK HTTP server): checks every signature as the platform does and serves
 * {@link SampleContacts}. Tests, the demo, docker-compose and the benchmark use it. While it runs, tests adjust its
 * latency and inject faults (a failure rate, scripted failures per id, every call failing, going down), and may put
 * contacts and answers of their own.
 */
public final class IvvySandbox implements AutoCloseable {

    public static final String API_KEY = "sandbox-key";
    public static final String API_SECRET = "sandbox-secret";

    private static final Logger LOG = LoggerFactory.getLogger(IvvySandbox.class);

    static {
        // The JDK server writes headers and body separately; with Nagle on, the body waits for the client's delayed
        // ACK (about 40 ms on Linux) and every call looks 40 ms slower than the latency set. Read once per JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // A real server keeps a client's idle keep-alive connections; the JDK server closes any beyond 200 the moment
        // they go idle without telling the client, so a pool of 256 met dead connections (and retries) after a pause.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }

    /** Unsigned, the sandbox's own: modifies contacts now, for trying the change capture by hand. */
    public static final String MODIFY_PATH = "/sandbox/modify";

    private final ObjectMapper mapper = Json.newMapper();
    private final Clock clock;
    private final SignatureVerifier verifier;
    private final ExecutorService handlers;
    private final ScheduledExecutorService delayedAnswers;
    private final Map<Long, Answer> customAnswers = new ConcurrentHashMap<>();
    private final ContactChanges changes = new ContactChanges();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final Map<Long, AtomicInteger> callsById = new ConcurrentHashMap<>();
    private final AtomicInteger refusedSignatures = new AtomicInteger();
    private final Queue<Long> getContactCallTimes = new ConcurrentLinkedQueue<>();
    private final AtomicLong latencyMillis = new AtomicLong();
    private final AtomicLong jitterMillis = new AtomicLong();
    private final AtomicReference<Duration> clockOffset = new AtomicReference<>(Duration.ZERO);
    private final FaultPlan faults = new FaultPlan();
    private final InetSocketAddress boundAddress;
    private HttpServer server;
    private boolean down;

    private IvvySandbox(InetSocketAddress address) throws IOException {
        this.clock = new OffsetClock(clockOffset);
        this.verifier = new SignatureVerifier(Map.of(API_KEY, API_SECRET), clock);
        this.handlers = Executors.newFixedThreadPool(4, daemon("ivvy-sandbox-http"));
        this.delayedAnswers = Executors.newScheduledThreadPool(1, daemon("ivvy-sandbox-latency"));
        listen(address);
        this.boundAddress = server.getAddress();
    }

    private void listen(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 512);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on 127.0.0.1 at {@code port} (0: any free port). */
    public static IvvySandbox start(int port) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Starts on the given address, e.g. 0.0.0.0 inside a container. */
    public static IvvySandbox start(InetSocketAddress address) throws IOException {
        return new IvvySandbox(address);
    }

    /** Moves the sandbox's clock, as a platform whose clock differs from the caller's (dates over 5 min off are stale). */
    public void setClockOffset(Duration offset) {
        clockOffset.set(offset);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Delay added before every answer, as a slow platform would. */
    public void setLatency(Duration latency) {
        setLatency(latency, Duration.ZERO);
    }

    /** Delay added before every answer: {@code latency} plus a random part up to {@code jitter}. */
    public void setLatency(Duration latency, Duration jitter) {
        latencyMillis.set(latency.toMillis());
        jitterMillis.set(jitter.toMillis());
    }

    /** Stops listening: calls are refused, as when the platform is unreachable. */
    public synchronized void goDown() {
        if (!down) {
            server.stop(0);
            down = true;
        }
    }

    /** Listens again on the same address (nothing to do if it is up). */
    public synchronized void comeBack() throws IOException {
        if (down) {
            listen(boundAddress);
            down = false;
        }
    }

    /** Back to a healthy platform: no latency, no faults, the contacts' first modified dates, listening. Answers put by tests stay. */
    public void heal() throws IOException {
        setLatency(Duration.ZERO);
        faults.clear();
        setClockOffset(Duration.ZERO);
        changes.clear();
        comeBack();
    }

    /** Answers each call with one of {@code faults} (at random) with this probability; 0 stops it. */
    public void setFailureRate(double rate, Fault... faults) {
        this.faults.setFailureRate(rate, faults);
    }

    /** Answers every call with this fault (e.g. KEY_REVOKED); null stops it. */
    public void failEverything(Fault fault) {
        faults.failEverything(fault);
    }

    /** The first {@code calls} signed getContact calls for the id are answered with the fault. */
    public void failFirst(long id, int calls, Fault fault) {
        faults.failFirst(id, calls, fault);
    }

    /** Serves this contact JSON, as given, for the id (a contact of a test's own, e.g. a very large one). */
    public void putContact(long id, byte[] json) {
        putAnswer(id, 200, json);
    }

    /** Answers every signed getContact for the id with this status and body, whatever they are. */
    public void putAnswer(long id, int status, byte[] body) {
        customAnswers.put(id, new Answer(status, body));
    }

    /** Marks these contacts modified at {@code at}: getContactList lists them, getContact shows the date. */
    public void modify(Collection<Long> ids, Instant at) {
        ids.forEach(id -> changes.modify(id, at));
    }

    /** Runs {@code listener} with each getContactList page's start once the page is served (to modify mid-paging). */
    public void afterListPage(IntConsumer listener) {
        changes.afterPage(listener);
    }

    /** getContactList calls with a valid signature received. */
    public int listCalls() {
        return listCalls.get();
    }

    /** getContact calls with a valid signature received for this id. */
    public int calls(long id) {
        AtomicInteger calls = callsById.get(id);
        return calls == null ? 0 : calls.get();
    }

    /** When each signed getContact call arrived (System.nanoTime), in arrival order. */
    public List<Long> getContactCallTimes() {
        return List.copyOf(getContactCallTimes);
    }

    /** Requests refused for their signature, key, MD5 or date. */
    public int refusedSignatures() {
        return refusedSignatures.get();
    }

    @Override
    public void close() {
        server.stop(0);
        delayedAnswers.shutdownNow();
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Answer answer;
        try {
            answer = answer(exchange, body);
        } catch (RuntimeException e) {
            LOG.warn("Sandbox failed to answer {}: {}", exchange.getRequestURI(), e.toString());
            answer = Answer.error(new SandboxError(500, 500, null, "Internal Server Error", List.of()), mapper);
        }
        long jitter = jitterMillis.get();
        long delay = latencyMillis.get() + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        Answer reply = answer;
        if (delay > 0) {
            delayedAnswers.schedule(() -> send(exchange, reply), delay, TimeUnit.MILLISECONDS);
        } else {
            send(exchange, reply);
        }
    }

    private Answer answer(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String requestUri = query == null ? path : path + "?" + query;
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Answer.error(new SandboxError(405, 405, null, "Method Not Allowed", List.of()), mapper);
        }
        if (MODIFY_PATH.equals(path)) {
            return modifyNow(query);
        }
        Optional<SandboxError> refused = verifier.verify(exchange.getRequestMethod(), requestUri, headers(exchange), body);
        if (refused.isPresent()) {
            refusedSignatures.incrementAndGet();
            return Answer.error(refused.get(), mapper);
        }
        if ("/api/1.0/contact".equals(path) && "action=getContact".equals(query)) {
            return getContact(body);
        }
        if ("/api/1.0/contact".equals(path) && "action=getContactList".equals(query)) {
            return getContactList(body);
        }
        if ("/api/1.0/test".equals(path) && "action=ping".equals(query)) {
            ObjectNode ack = mapper.createObjectNode().put("ack", true)
                    .put("serverTime", IvvySigner.IVVY_DATE.format(clock.instant()));
            return Answer.json(200, ack, mapper);
        }
        return Answer.error(SandboxError.unknownCall(), mapper);
    }

    private Answer getContact(byte[] body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (IOException e) {
            return Answer.error(SandboxError.invalid("body", "the body must be JSON"), mapper);
        }
        JsonNode id = request.get("id");
        if (id == null || id.isNull()) {
            return Answer.error(SandboxError.missing("id"), mapper);
        }
        if (!id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() <= 0) {
            return Answer.error(SandboxError.invalid("id", "Value must be a whole number"), mapper);
        }
        long contactId = id.asLong();
        callsById.computeIfAbsent(contactId, k -> new AtomicInteger()).incrementAndGet();
        getContactCallTimes.add(System.nanoTime());
        Fault fault = faults.forContact(contactId);
        if (fault != null) {
            return faultAnswer(fault, contactId);
        }
        Answer custom = customAnswers.get(contactId);
        if (custom != null) {
            return custom;
        }
        if (!SampleContacts.exists(contactId)) {
            return Answer.error(SandboxError.notFound(), mapper);
        }
        boolean sorted = request.path("useEventSortOrder").asBoolean(false);
        ObjectNode contact = SampleContacts.contact(mapper, contactId, sorted);
        changes.modifiedDate(contactId).ifPresent(date -> contact.put("modifiedDate", date));
        return Answer.json(200, contact, mapper);
    }

    /** The sandbox's own control, unsigned: {@code POST /sandbox/modify?ids=12,13} modifies them now. */
    private Answer modifyNow(String query) {
        List<Long> ids;
        try {
            ids = query == null || !query.startsWith("ids=") ? List.of()
                    : Arrays.stream(query.substring(4).split(",")).map(String::strip).map(Long::parseLong).toList();
        } catch (NumberFormatException e) {
            ids = List.of();
        }
        if (ids.isEmpty()) {
            return Answer.error(SandboxError.invalid("ids", "name the contacts to modify: ?ids=12,13"), mapper);
        }
        Instant now = clock.instant();
        modify(ids, now);
        ObjectNode done = mapper.createObjectNode().put("modifiedDate", ContactListRequest.IVVY_UTC.format(now));
        ids.forEach(done.putArray("modified")::add);
        return Answer.json(200, done, mapper);
    }

    private Answer getContactList(byte[] body) {
        listCalls.incrementAndGet();
        Fault everything = faults.forEveryCall();
        if (everything != null) {
            return faultAnswer(everything, 0);
        }
        try {
            return changes.page(mapper.readTree(body), mapper).map(page -> Answer.json(200, page, mapper))
                    .orElseGet(() -> Answer.error(SandboxError.invalid("filter", "fromModifiedDate and toModifiedDate "
                            + "must be yyyy-MM-dd HH:mm:ss"), mapper));
        } catch (IOException e) {
            return Answer.error(SandboxError.invalid("body", "the body must be JSON"), mapper);
        }
    }

    private Answer faultAnswer(Fault fault, long contactId) {
        return switch (fault) {
            case SERVER_ERROR -> Answer.error(new SandboxError(500, 500, null, "Internal Server Error", List.of()), mapper);
            case TOO_MANY_REQUESTS -> new Answer(429,
                    Answer.error(new SandboxError(429, 429, null, "Too Many Requests", List.of()), mapper).body(),
                    Map.of("Retry-After", "1"));
            case TRUNCATED_JSON -> {
                byte[] whole = Answer.json(200, SampleContacts.contact(mapper, contactId, false), mapper).body();
                yield new Answer(200, java.util.Arrays.copyOf(whole, whole.length / 2));
            }
            case HTML_BAD_GATEWAY -> new Answer(502,
                    "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Type", "text/html"));
            case KEY_REVOKED -> Answer.error(SandboxError.keyRevoked(), mapper);
        };
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return headers;
    }

    private static void send(HttpExchange exchange, Answer answer) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException e) {
            LOG.debug("Client went away before the answer: {}", e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The system clock moved by an adjustable offset. */
    private static final class OffsetClock extends Clock {

        private final AtomicReference<Duration> offset;

        OffsetClock(AtomicReference<Duration> offset) {
            this.offset = offset;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }

    /** An HTTP answer. */
    record Answer(int status, byte[] body, Map<String, String> headers) {

        Answer(int status, byte[] body) {
            this(status, body, Map.of());
        }

        static Answer json(int status, JsonNode json, ObjectMapper mapper) {
            try {
                return new Answer(status, mapper.writeValueAsBytes(json));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer error(SandboxError error, ObjectMapper mapper) {
            ObjectNode json = mapper.createObjectNode().put("errorCode", error.errorCode()).put("message", error.message());
            if (error.specificCode() != null) {
                json.put("specificCode", error.specificCode());
            }
            error.additionalMessages().forEach(json.putArray("additionalMessages")::add);
            return json(error.status(), json, mapper);
        }
    }
}
