package dev.ivvycontact.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of getContactList: iVvy's {@code meta} (what it really served, which may be fewer per page than asked)
 * and, of each contact listed, the id and modified date (the rest is fetched with getContact).
 */
public record ContactListPage(long totalResults, long start, int count, List<Listed> results) {

    /** A contact as listed. */
    public record Listed(long id, String modifiedDate) {
    }

    public static ContactListPage parse(byte[] json, ObjectReader reader) throws InvalidContactAnswerException {
        JsonNode root;
        try {
            root = reader.readTree(json);
        } catch (IOException e) {
            throw new InvalidContactAnswerException("the list answer is not valid JSON");
        }
        JsonNode meta = root == null ? null : root.get("meta");
        JsonNode results = root == null ? null : root.get("results");
        if (meta == null || !meta.path("totalResults").canConvertToLong() || results == null || !results.isArray()) {
            throw new InvalidContactAnswerException("the list answer has no meta.totalResults or no results");
        }
        List<Listed> listed = new ArrayList<>();
        for (JsonNode result : results) {
            JsonNode id = result.get("id");
            if (id == null || !id.isIntegralNumber()) {
                throw new InvalidContactAnswerException("a listed contact has no integer id");
            }
            listed.add(new Listed(id.asLong(), result.path("modifiedDate").asText(null)));
        }
        return new ContactListPage(meta.get("totalResults").asLong(), meta.path("start").asLong(0),
                meta.path("count").asInt(listed.size()), List.copyOf(listed));
    }
}
