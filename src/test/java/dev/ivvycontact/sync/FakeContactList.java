package dev.ivvycontact.sync;

import dev.ivvycontact.model.ContactListPage;
import dev.ivvycontact.model.ContactListRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * getContactList over an in-memory account, as iVvy pages it: oldest first, at most {@code cap} a page whatever was
 * asked, read anew for every page; {@code beforePage} runs before each page is served, to change the account meanwhile.
 */
final class FakeContactList implements ContactListPages {

    private final TreeMap<Long, Instant> modified = new TreeMap<>();
    private final int cap;
    private final List<ContactListRequest> requests = new ArrayList<>();
    private IntConsumer beforePage = page -> { };

    FakeContactList(int cap) {
        this.cap = cap;
    }

    void modify(long id, Instant at) {
        modified.put(id, at);
    }

    void beforePage(IntConsumer hook) {
        beforePage = hook;
    }

    List<ContactListRequest> requests() {
        return requests;
    }

    /** The ids modified in [from, to], in the order iVvy lists them. */
    List<Long> listed(Instant from, Instant to) {
        return modified.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(from) && !e.getValue().isAfter(to))
                .sorted(Comparator.comparing((java.util.Map.Entry<Long, Instant> e) -> e.getValue())
                        .thenComparing(java.util.Map.Entry::getKey))
                .map(java.util.Map.Entry::getKey).toList();
    }

    @Override
    public ContactListPage fetch(ContactListRequest request) {
        beforePage.accept(requests.size());
        requests.add(request);
        List<Long> window = listed(request.from(), request.to());
        int from = (int) Math.min(request.start(), window.size());
        int to = Math.min(from + Math.min(request.perPage(), cap), window.size());
        List<ContactListPage.Listed> results = window.subList(from, to).stream()
                .map(id -> new ContactListPage.Listed(id, ContactListRequest.IVVY_UTC.format(modified.get(id)))).toList();
        return new ContactListPage(window.size(), request.start(), results.size(), results);
    }
}
