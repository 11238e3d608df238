package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item D: what the published contracts tell consumers to do with ivvy-event-id. A contact that changes and
 * changes back says the same thing again, so its latest state has an id seen before: "remember every id seen" drops
 * it; the documented rule (the last id per entity) drops only the redelivered copy.
 */
class EventIdDedupeTest {

    private static final byte[] NOTES_A = "{\"id\":6,\"notes\":\"A\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOTES_B = "{\"id\":6,\"notes\":\"B\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theLastIdPerEntityDropsCopiesAndKeepsAStateThatCameBack() {
        // Published: A, B, A again (changed back), then a redelivered copy of that last A.
        List<byte[]> delivered = List.of(NOTES_A, NOTES_B, NOTES_A, NOTES_A);

        List<String> lastPerEntity = new ArrayList<>();
        Map<String, String> lastEventId = new HashMap<>();
        List<String> everySeen = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (byte[] value : delivered) {
            String eventId = EventIds.of("contact", "6", "6", value);
            String entity = "ivvy.contacts/6/6";
            if (!eventId.equals(lastEventId.get(entity))) {
                lastPerEntity.add(new String(value, StandardCharsets.UTF_8));
                lastEventId.put(entity, eventId);
            }
            if (seen.add(eventId)) {
                everySeen.add(new String(value, StandardCharsets.UTF_8));
            }
        }

        assertThat(lastPerEntity).as("the documented rule").extracting(v -> v.substring(17, 18)).containsExactly("A", "B", "A");
        assertThat(everySeen).as("the old advice loses the latest state").extracting(v -> v.substring(17, 18))
                .containsExactly("A", "B");
    }

    @Test
    void theContractsSayWhatTheIdIsForAndWhatItIsNot() throws Exception {
        String headers = Files.readString(Path.of("schemas/HEADERS.md"));
        assertThat(headers).doesNotContain("drop repeats by it")
                .contains("a version or a change id").contains("last one you processed for the same entity");
        assertThat(Files.readString(Path.of("README.md"))).doesNotContain("seen.add(eventId)")
                .contains("lastEventId.get(entity)");
    }
}
