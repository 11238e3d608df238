package dev.ivvycontact.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.client.ForgetSignature;
import dev.ivvycontact.client.IvvyAnswer;
import dev.ivvycontact.client.IvvyAnswerClassifier;
import dev.ivvycontact.client.IvvyClock;
import dev.ivvycontact.client.IvvyTransportFailure;
import dev.ivvycontact.client.SignedCall;
import dev.ivvycontact.consumer.MonotonicClock;
import dev.ivvycontact.observe.LookupTracing;
import dev.ivvycontact.observe.PipelineMetrics;
import dev.ivvycontact.resilience.Backoff;
import dev.ivvycontact.resilience.IvvyCircuit;
import dev.ivvycontact.resilience.IvvyRateLimiter;
import dev.ivvycontact.signing.IvvySigner;
import java.time.Clock;
import org.apache.camel.spi.Registry;

/**
 * What every call to iVvy shares, lookups and contact-list pages alike: one circuit, one rate limiter, one classifier,
 * one signed call. {@link #bindTo} binds the steps of routes/ivvy-call.yaml, so the pipeline and the sync command run
 * the same calls.
 */
public record IvvyClient(IvvyCircuit circuit, IvvyRateLimiter rateLimiter, IvvyAnswerClassifier classifier,
                         SignedCall signedCall, PipelineMetrics metrics, IvvyClock ivvyClock) {

    /** {@code requestsPerSecond}: this instance's limit (0: none) until a share of the group's budget replaces it. */
    public static IvvyClient create(PipelineSettings settings, double requestsPerSecond, ObjectMapper mapper,
                                    PipelineMetrics metrics, LookupTracing tracing, Clock clock) {
        IvvyCircuit circuit = new IvvyCircuit(settings.circuitTransientRun(),
                Backoff.exponential(settings.circuitFirstProbeDelay(), settings.circuitMaxProbeDelay()), clock);
        IvvyRateLimiter rateLimiter = new IvvyRateLimiter(requestsPerSecond, settings.retryMaxDelay(), MonotonicClock.SYSTEM);
        IvvySigner signer = new IvvySigner(settings.credentials(), clock);
        return new IvvyClient(circuit, rateLimiter, new IvvyAnswerClassifier(mapper, clock, settings.retryMaxDelay()),
                new SignedCall(signer, settings.ivvyBaseUrl(), metrics, rateLimiter, circuit, tracing), metrics,
                new IvvyClock(clock));
    }

    /** The beans routes/ivvy-call.yaml refers to. */
    public void bindTo(Registry registry) {
        registry.bind("signedCall", signedCall);
        registry.bind("getContactAnswer", new IvvyAnswer(classifier::classify, metrics, circuit, rateLimiter, ivvyClock));
        registry.bind("getContactListAnswer", new IvvyAnswer(classifier::classifyList, metrics, circuit, rateLimiter,
                ivvyClock));
        registry.bind("ivvyTransportFailure", new IvvyTransportFailure(classifier, metrics, circuit));
        registry.bind("forgetSignature", new ForgetSignature());
    }
}
