package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ivvycontact.deadletter.DeadLetterException;
import dev.ivvycontact.deadletter.DeadLetterReason;
import dev.ivvycontact.model.ContactLookupRequest;
import dev.ivvycontact.model.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputMessageParserTest {

    private final InputMessageParser parser = new InputMessageParser(Json.newMapper());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "6                                           | 6                   | false",
            "' 42 \n'                                    | 42                  | false",
            "+7                                          | 7                   | false",
            "9223372036854775807                         | 9223372036854775807 | false",
            "{\"id\": 6}                                 | 6                   | false",
            "{\"id\":6,\"useEventSortOrder\":true}       | 6                   | true",
            "{\"id\":6,\"useEventSortOrder\":null}       | 6                   | false",
            "{\"useEventSortOrder\":false,\"id\":8,\"x\":1} | 8                | false"})
    void readsContactIds(String value, long id, boolean sorted) throws DeadLetterException {
        assertThat(parser.parse(value.getBytes(StandardCharsets.UTF_8))).isEqualTo(new ContactLookupRequest(id, sorted));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "6a", "6.0", "{}", "{\"id\":\"x\"}", "{\"id\":\"6\"}", "{\"id\":6.5}",
            "{\"id\":null}", "[6]", "{\"id\":6", "{\"id\":6} trailing", "{\"id\":6,\"useEventSortOrder\":\"yes\"}", "null"})
    void refusesWhatIsNotAContactIdAsMalformed(String value) {
        assertThat(reasonFor(value.getBytes(StandardCharsets.UTF_8))).isEqualTo(DeadLetterReason.MALFORMED_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "-0", "9223372036854775808", "98765432109876543210", "{\"id\":0}", "{\"id\":-1}",
            "{\"id\":123456789012345678901234567890}"})
    void refusesIdsThatCantExistAsInvalid(String value) {
        assertThat(reasonFor(value.getBytes(StandardCharsets.UTF_8))).isEqualTo(DeadLetterReason.INVALID_CONTACT_ID);
    }

    @org.junit.jupiter.api.Test
    void nullAndBinaryValuesAreMalformedWithAReadableLine() {
        assertThat(reasonFor(null)).isEqualTo(DeadLetterReason.MALFORMED_MESSAGE);
        DeadLetterException binary = catchThrowableOfType(DeadLetterException.class,
                () -> parser.parse(new byte[] {(byte) 0xff, 0x00, (byte) 0xfe}));
        assertThat(binary.getMessage()).isEqualTo("the value is not UTF-8 text (3 bytes)");
    }

    @org.junit.jupiter.api.Test
    void aHugeValueIsQuotedShortOnOneLine() {
        String huge = "x".repeat(100_000) + "\n";
        DeadLetterException refused = catchThrowableOfType(DeadLetterException.class,
                () -> parser.parse(huge.getBytes(StandardCharsets.UTF_8)));
        assertThat(refused.getMessage()).hasSizeLessThan(200).doesNotContain("\n").contains("100000 chars");
    }

    /** Issue 8, item H: a megabyte of digits is refused by its length, never converted to a number first. */
    @org.junit.jupiter.api.Test
    void aMegabyteOfDigitsIsRefusedByItsLength() {
        byte[] digits = "1".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        DeadLetterException refused = catchThrowableOfType(DeadLetterException.class, () -> parser.parse(digits));
        assertThat(refused.reason()).isEqualTo(DeadLetterReason.INVALID_CONTACT_ID);
        assertThat(refused.getMessage()).isEqualTo("the contact id has 1000000 digits: beyond 64 bits");
    }

    private DeadLetterReason reasonFor(byte[] value) {
        DeadLetterException refused = catchThrowableOfType(DeadLetterException.class, () -> parser.parse(value));
        assertThat(refused).as("refused").isNotNull();
        return refused.reason();
    }
}
