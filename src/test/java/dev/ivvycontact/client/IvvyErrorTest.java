package dev.ivvycontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivvycontact.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What counts as iVvy's error answer: its top-level fields only, whatever else the answer holds. */
class IvvyErrorTest {

    private final ObjectMapper mapper = Json.newMapper();

    private Optional<IvvyError> parse(String answer) {
        return IvvyError.parse(answer.getBytes(StandardCharsets.UTF_8), mapper);
    }

    @Test
    void readsTheCodesAndTheMessageWhereverTheyStandAmongOtherFields() {
        assertThat(parse("{\"additionalMessages\":[\"x\",{\"errorCode\":1}],\"message\":\"Unable to find contact\","
                + "\"specificCode\":24096,\"errorCode\":404}"))
                .contains(new IvvyError(404, 24096, "Unable to find contact"));
        assertThat(parse("{\"errorCode\": 400.0, \"message\": 7}")).contains(new IvvyError(400, null, "7"));
        assertThat(parse("{\"errorCode\":403,\"message\":{\"nested\":\"no\"},\"specificCode\":\"x\"}"))
                .as("a 200 that is an error; a message or code of the wrong kind is left out")
                .hasValueSatisfying(error -> {
                    assertThat(error.errorCode()).isEqualTo(403);
                    assertThat(error.specificCode()).isNull();
                    assertThat(error.describe()).isEqualTo("iVvy 403");
                });
    }

    @Test
    void aContactIsNoErrorEvenWhenSomethingInsideItNamesOne() {
        String contact = "{\"id\":15,\"firstName\":\"Ana\",\"email\":\"ana@example.com\",\"eventRegistrations\":"
                + "[{\"registrationId\":3,\"invoices\":[{\"id\":9,\"total\":\"12.50\"}]}],\"eventInvitations\":[],"
                + "\"customFields\":{\"tier\":\"gold\"}}";
        assertThat(parse(contact)).isEmpty();
        assertThat(parse("{\"id\":1,\"eventRegistrations\":[{\"errorCode\":500}],\"meta\":{\"errorCode\":500}}"))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''",
            "<html>502 Bad Gateway</html>",
            "{\"errorCode\":500,\"message\":\"cut off",
            "{\"errorCode\":\"500\"}",
            "[{\"errorCode\":500}]",
            "{\"errorCode\":99999999999}"})
    void whatIsNotAnErrorObjectWithAWholeNumberCodeIsNone(String answer) {
        assertThat(parse(answer)).isEmpty();
    }
}
