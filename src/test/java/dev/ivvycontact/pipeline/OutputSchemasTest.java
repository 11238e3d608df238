package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivvycontact.testsupport.OutputSchemas;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The published schemas accept what the pipeline publishes, unknown iVvy fields included, and refuse what breaks them. */
class OutputSchemasTest {

    private static final String SUMMARY = "{\"id\":6,\"firstName\":\"Zoë\",\"lastName\":null,\"email\":\"zoe@example.com\"}";

    @Test
    void aContactWithFieldsIvvyHasNotDocumentedKeepsTheContract() {
        assertThat(violations(OutputSchemas.CONTACT, "{\"id\":6,\"phone\":\"0455550000\",\"externalId\":null,"
                + "\"eventRegistrations\":[{\"registrationId\":1}],\"somethingNew\":{\"x\":[1]}}")).isEmpty();
    }

    @Test
    void aContactWithoutAnIntegerIdBreaksIt() {
        assertThat(violations(OutputSchemas.CONTACT, "{\"id\":\"6\"}")).isNotEmpty();
        assertThat(violations(OutputSchemas.CONTACT, "{\"firstName\":\"Ann\"}")).isNotEmpty();
    }

    @Test
    void partsNeedTheContactSummaryAndInvoicesTheirRegistration() {
        assertThat(violations(OutputSchemas.REGISTRATION, "{\"registrationId\":1,\"newField\":true,\"contact\":" + SUMMARY + "}"))
                .isEmpty();
        assertThat(violations(OutputSchemas.REGISTRATION, "{\"registrationId\":1}")).isNotEmpty();
        assertThat(violations(OutputSchemas.INVOICE, "{\"id\":1,\"totalCost\":123.50,\"totalPaid\":\"10.10\","
                + "\"registrationId\":9,\"eventId\":1,\"eventCode\":\"E\",\"contact\":" + SUMMARY + "}")).isEmpty();
        assertThat(violations(OutputSchemas.INVOICE, "{\"id\":1,\"contact\":" + SUMMARY + "}")).isNotEmpty();
        assertThat(violations(OutputSchemas.INVITATION, "{\"eventId\":1,\"response\":\"Y\",\"contact\":" + SUMMARY + "}")).isEmpty();
        assertThat(violations(OutputSchemas.INVITATION, "{\"eventId\":1,\"contact\":{\"id\":6}}")).isNotEmpty();
    }

    private static java.util.List<String> violations(OutputSchemas schema, String json) {
        return schema.violations(json.getBytes(StandardCharsets.UTF_8));
    }
}
