package dev.ivvycontact.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command of the module run in its own JVM (the test classpath), as an operator would run the jar: its output
 * goes to a file; {@link #close()} kills it if still running, so no test leaves a process behind.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildJvm start(Map<String, String> environment, List<String> jvmOptions, String mainClass,
                                 String... args) throws IOException {
        return launch(environment, jvmOptions, List.of("-cp", System.getProperty("java.class.path"), mainClass), args);
    }

    /** The packaged jar instead of the test classpath: the module as it is deployed. */
    public static ChildJvm startJar(Map<String, String> environment, List<String> jvmOptions, Path jar,
                                    String... args) throws IOException {
        return launch(environment, jvmOptions, List.of("-jar", jar.toAbsolutePath().toString()), args);
    }

    private static ChildJvm launch(Map<String, String> environment, List<String> jvmOptions, List<String> what,
                                   String... args) throws IOException {
        Path output = Files.createTempFile("child-jvm", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(what);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        builder.directory(new File(System.getProperty("java.io.tmpdir")));
        return new ChildJvm(builder.start(), output);
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; returns its exit status. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child JVM did not end within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** SIGKILL: the crash the pipeline must survive. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the orderly stop. */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(output);
    }
}
