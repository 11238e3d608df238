package dev.ivvycontact.pipeline;

import java.util.List;

/** The topic names of the contract, each configurable. */
public record Topics(String input, String contacts, String registrations, String invoices, String invitations,
                     String deadLetters) {

    /** Every topic the pipeline writes to: the four outputs and the dead letters. */
    public List<String> written() {
        return List.of(contacts, registrations, invoices, invitations, deadLetters);
    }
}
