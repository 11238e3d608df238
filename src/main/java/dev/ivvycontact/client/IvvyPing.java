package dev.ivvycontact.client;

import dev.ivvycontact.signing.IvvySigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** iVvy's cheap credentials check: a signed {@code POST test?action=ping} with an empty body. */
public final class IvvyPing {

    public static final String REQUEST_URI = "/api/1.0/test?action=ping";

    private final IvvySigner signer;
    private final String url;
    private final Duration timeout;

    public IvvyPing(IvvySigner signer, String baseUrl, Duration timeout) {
        this.signer = signer;
        this.url = baseUrl.replaceAll("/+$", "") + REQUEST_URI;
        this.timeout = timeout;
    }

    /** The answer's status and body; throws when no answer came (unreachable, timed out). */
    public HttpResponse<byte[]> ping() throws IOException, InterruptedException {
        byte[] body = new byte[0];
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", SignedCall.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign("POST", REQUEST_URI, SignedCall.CONTENT_TYPE, body).forEach(request::header);
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
