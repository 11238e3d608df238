package dev.ivvycontact.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ivvycontact.model.ContactListRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * When the sandbox's contacts were last modified, and getContactList over those dates as iVvy serves it: contacts
 * modified in [fromModifiedDate, toModifiedDate], oldest first, at most {@value #MAX_PER_PAGE} a page whatever was asked
 * (page by {@code meta}, not by the request), from the record index {@code start}. The list is read anew for every page,
 * so a contact modified while a client pages moves, as on the platform.
 *
 * <p>The account lists contacts 1 to {@value #LISTED_UP_TO} ({@value #LISTED_CONTACTS} of them: multiples of 7 don't
 * exist), each last modified at a fixed second between {@link #FIRST_MODIFIED} and {@link #LAST_MODIFIED}, until a test
 * (or {@code POST /sandbox/modify}) modifies it again.
 */
final class ContactChanges {

    static final int MAX_PER_PAGE = 50;
    static final int LISTED_UP_TO = 1166;
    static final int LISTED_CONTACTS = 1000;
    static final Instant FIRST_MODIFIED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant LAST_MODIFIED = Instant.parse("2026-11-01T00:00:00Z");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Map<Long, Instant> modified = new ConcurrentHashMap<>();
    private volatile IntConsumer afterPage = start -> { };

    /** The contact was modified at {@code at} (iVvy keeps whole seconds). */
    void modify(long id, Instant at) {
        modified.put(id, at.truncatedTo(ChronoUnit.SECONDS));
    }

    Optional<String> modifiedDate(long id) {
        return modifiedAt(id).map(ContactListRequest.IVVY_UTC::format);
    }

    private Optional<Instant> modifiedAt(long id) {
        Instant at = modified.get(id);
        if (at != null) {
            return Optional.of(at);
        }
        return id >= 1 && id <= LISTED_UP_TO && SampleContacts.exists(id) ? Optional.of(firstModified(id)) : Optional.empty();
    }

    /** Spread over the listed period by a fixed multiplier: the same second for the same id, every run. */
    private static Instant firstModified(long id) {
        long period = LAST_MODIFIED.getEpochSecond() - FIRST_MODIFIED.getEpochSecond();
        return FIRST_MODIFIED.plusSeconds(id * 7_919_993L % period);
    }

    /** Called with each page's start once the page has been served (tests modify contacts mid-paging with it). */
    void afterPage(IntConsumer listener) {
        afterPage = listener;
    }

    void clear() {
        modified.clear();
        afterPage = start -> { };
    }

    /** The answer to a getContactList request body; empty when the filter can't be read (a 400 then). */
    Optional<ObjectNode> page(JsonNode request, ObjectMapper mapper) {
        JsonNode filter = request.path("filter");
        Optional<Instant> from = parse(filter.path("fromModifiedDate").asText(null));
        Optional<Instant> to = parse(filter.path("toModifiedDate").asText(null));
        if (from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        int perPage = Math.min(Math.max(request.path("perPage").asInt(MAX_PER_PAGE), 1), MAX_PER_PAGE);
        int start = Math.max(request.path("start").asInt(0), 0);
        List<Map.Entry<Long, Instant>> window = Stream.concat(LongStream.rangeClosed(1, LISTED_UP_TO).boxed(),
                        modified.keySet().stream()).distinct()
                .flatMap(id -> modifiedAt(id).filter(at -> SampleContacts.exists(id)).map(at -> Map.entry(id, at)).stream())
                .filter(e -> !e.getValue().isBefore(from.get()) && !e.getValue().isAfter(to.get()))
                .sorted(Comparator.comparing((Map.Entry<Long, Instant> e) -> e.getValue()).thenComparing(Map.Entry::getKey))
                .toList();
        List<Map.Entry<Long, Instant>> slice = window.subList(Math.min(start, window.size()),
                Math.min(start + perPage, window.size()));
        ObjectNode answer = mapper.createObjectNode();
        answer.putObject("meta").put("totalResults", window.size()).put("start", start).put("perPage", perPage)
                .put("count", slice.size());
        ArrayNode results = answer.putArray("results");
        slice.forEach(e -> results.addObject().put("id", e.getKey())
                .put("modifiedDate", ContactListRequest.IVVY_UTC.format(e.getValue())));
        afterPage.accept(start);
        return Optional.of(answer);
    }

    /** iVvy's "yyyy-MM-dd HH:mm:ss", with or without " UTC". */
    private static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text.replace(" UTC", "").strip(), DATE).toInstant(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
