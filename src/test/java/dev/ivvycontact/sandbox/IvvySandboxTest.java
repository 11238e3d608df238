package dev.ivvycontact.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.Json;
import dev.ivvycontact.signing.ApiCredentials;
import dev.ivvycontact.signing.IvvySigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox over real HTTP: it accepts a correctly signed call and refuses every kind of wrong signature. */
class IvvySandboxTest {

    private static final String URI_PATH = "/api/1.0/contact?action=getContact";
    private static IvvySandbox sandbox;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void start() throws Exception {
        sandbox = IvvySandbox.start(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aCorrectlySignedCallGetsTheContact() throws Exception {
        HttpResponse<String> answer = call(signed(IvvySandbox.API_SECRET, Clock.systemUTC(), "{\"id\":5}"), "{\"id\":5}");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode contact = mapper.readTree(answer.body());
        assertThat(contact.get("id").asLong()).isEqualTo(5);
        assertThat(contact.get("eventRegistrations")).hasSize(SampleContacts.registrations(5));
        assertThat(contact.get("phone").asText()).isEqualTo("0455000005");
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        assertRefused(call(signed("not-the-secret", Clock.systemUTC(), "{\"id\":5}"), "{\"id\":5}"), null);
    }

    @Test
    void aBodyOtherThanTheOneSignedIsRefused() throws Exception {
        assertRefused(call(signed(IvvySandbox.API_SECRET, Clock.systemUTC(), "{\"id\":5}"), "{\"id\":6}"), null);
    }

    @Test
    void aStaleDateIsRefusedWith23005() throws Exception {
        Clock sixMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        assertRefused(call(signed(IvvySandbox.API_SECRET, sixMinutesAgo, "{\"id\":5}"), "{\"id\":5}"), 23005);
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        Map<String, String> headers = new IvvySigner(new ApiCredentials("someone-else", IvvySandbox.API_SECRET),
                Clock.systemUTC()).sign("POST", URI_PATH, "application/json", bytes("{\"id\":5}"));
        assertRefused(call(headers, "{\"id\":5}"), null);
    }

    @Test
    void notFoundAndInvalidIdsAnswerAsIvvyDoes() throws Exception {
        HttpResponse<String> notFound = call(signed(IvvySandbox.API_SECRET, Clock.systemUTC(), "{\"id\":14}"), "{\"id\":14}");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(notFound.body()).get("specificCode").asInt()).isEqualTo(24096);
        HttpResponse<String> invalid = call(signed(IvvySandbox.API_SECRET, Clock.systemUTC(), "{\"id\":\"x\"}"), "{\"id\":\"x\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(invalid.body()).get("specificCode").asInt()).isEqualTo(23016);
    }

    /**
     * A real server keeps a client's idle keep-alive connections. The JDK server closes those beyond 200 the moment
     * they go idle, without a word to the client: a pool of 256 then met dead connections after every pause, and the
     * benchmark's latencies showed the retries.
     */
    @Test
    void idleKeepAliveConnectionsStayOpenForAPoolOfThreeHundred() throws Exception {
        List<Socket> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), URI.create(sandbox.baseUrl()).getPort());
                socket.setSoTimeout(5_000);
                connections.add(socket);
                assertThat(statusOfAnotherRequest(socket)).isEqualTo(405);
            }
            int open = 0;
            for (Socket socket : connections) {
                open += statusOfAnotherRequest(socket) == 405 ? 1 : 0;
            }
            assertThat(open).as("connections that answered a second request").isEqualTo(300);
        } finally {
            for (Socket socket : connections) {
                socket.close();
            }
        }
    }

    /** A GET (the sandbox answers 405) on a kept-alive connection: its status, or -1 when the server closed it. */
    private static int statusOfAnotherRequest(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(bytes("GET / HTTP/1.1\r\nHost: sandbox\r\n\r\n"));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
            return Integer.parseInt(head.substring(9, 12));
        } catch (SocketException closed) {
            return -1;
        }
    }

    private void assertRefused(HttpResponse<String> answer, Integer specificCode) throws Exception {
        assertThat(answer.statusCode()).isEqualTo(401);
        JsonNode error = mapper.readTree(answer.body());
        assertThat(error.get("errorCode").asInt()).isEqualTo(401);
        if (specificCode != null) {
            assertThat(error.get("specificCode").asInt()).isEqualTo(specificCode);
        }
    }

    private static Map<String, String> signed(String secret, Clock clock, String body) {
        return new IvvySigner(new ApiCredentials(IvvySandbox.API_KEY, secret), clock)
                .sign("POST", URI_PATH, "application/json", bytes(body));
    }

    private HttpResponse<String> call(Map<String, String> signedHeaders, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + URI_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signedHeaders.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
