package dev.ivvycontact.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The jar's entry point: {@code run} (the default), {@code check}, {@code replay}, {@code sync}, {@code sandbox}. */
@Command(name = "ivvy-contact-pipeline", mixinStandardHelpOptions = true, version = "ivvy-contact-pipeline 0.1.0",
        description = "Consumes iVvy contact ids from Kafka, calls the signed getContact for each, and publishes the "
                + "contact, its registrations, invoices and invitations to their topics, dead letters aside. "
                + "Without a command: run. Configuration: environment variables (see README).",
        subcommands = {RunCommand.class, CheckCommand.class, ReplayCommand.class, SyncCommand.class, SandboxCommand.class})
public final class PipelineCli implements Callable<Integer> {

    @Override
    public Integer call() {
        return new RunCommand().call();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineCli()).execute(args));
    }
}
