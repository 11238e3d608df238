package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;

/** Fetches one page of getContactList, retried as any call to iVvy; throws when the page can't be had. */
@FunctionalInterface
public interface ContactListPages {

    ContactListPage fetch(ContactListRequest request) throws SyncFailedException;
}
