package dev.ivvycontact.pipeline;

/** The topic names of the contract, each configurable. */
public record Topics(String input, String contacts, String registrations, String invoices, String invitations,
                     String deadLetters) {
}
