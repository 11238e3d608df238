package dev.ivvycontact.commands;

import dev.ivvycontact.sandbox.IvvySandbox;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The built-in fake iVvy platform, until the process is stopped. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Serves a fake iVvy platform that checks every signature as iVvy does and answers getContact "
                + "with deterministic sample contacts (ids that are multiples of 7 are not found) and test?action=ping. "
                + "Credentials: IVVY_API_KEY=" + IvvySandbox.API_KEY + " IVVY_API_SECRET=" + IvvySandbox.API_SECRET)
public final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--port", description = "port to listen on (default: ${DEFAULT-VALUE})", defaultValue = "8089")
    int port;

    @Option(names = "--bind", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)",
            defaultValue = "127.0.0.1")
    String bind;

    @Override
    public Integer call() throws Exception {
        try (IvvySandbox sandbox = IvvySandbox.start(new InetSocketAddress(bind, port))) {
            System.out.println("iVvy sandbox listening on http://" + bind + ":" + sandbox.port()
                    + " (key " + IvvySandbox.API_KEY + ", secret " + IvvySandbox.API_SECRET + ")");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return 0;
    }
}
