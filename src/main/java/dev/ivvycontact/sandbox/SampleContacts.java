package dev.ivvycontact.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The sandbox's deterministic contacts. Every id that is not a multiple of 7 exists; its registrations, invoices and
 * invitations follow from the id by the formulas below, so a test or the demo knows exactly what to expect. Each
 * contact also carries a field iVvy does not document, which must pass through untouched.
 */
public final class SampleContacts {

    public static final String UNDOCUMENTED_FIELD = "sandboxLoyaltyTier";

    private SampleContacts() {
    }

    public static boolean exists(long id) {
        return id % 7 != 0;
    }

    public static int registrations(long id) {
        return (int) (id % 4);
    }

    /** Registration i (0-based) has i % 2 + 1 invoices. */
    public static int invoices(long id) {
        int total = 0;
        for (int i = 0; i < registrations(id); i++) {
            total += i % 2 + 1;
        }
        return total;
    }

    public static int invitations(long id) {
        return (int) (id % 3);
    }

    /** The contact as iVvy would return it. Events are listed latest first unless sorted by event start. */
    static ObjectNode contact(ObjectMapper mapper, long id, boolean useEventSortOrder) {
        ObjectNode contact = mapper.createObjectNode();
        contact.put("id", id);
        contact.put("firstName", "Sample" + id);
        contact.put("lastName", "Contact");
        contact.put("email", "sample" + id + "@example.com");
        contact.put("phone", String.format("0455%06d", id % 1_000_000));
        contact.put("status", 1);
        contact.put("smsStatus", 4);
        contact.putArray("customFields").addObject().put("fieldId", 11).put("displayName", "Dietary").put("value", "none");
        contact.putArray("groups").addObject().put("contactId", id).put("groupId", 3).put("joinDate", "2024-02-01");
        contact.putArray("companies").add(900 + id % 5);
        contact.putArray("companiesData").addObject().put("id", 900 + id % 5).put("businessName", "Example Pty Ltd");
        contact.putNull("externalId");
        contact.put("modifiedDate", "2026-11-01 09:30:00 UTC");
        contact.put("isAnonymised", false);
        ArrayNode invitations = contact.putArray("eventInvitations");
        for (int i = 0; i < invitations(id); i++) {
            int event = useEventSortOrder ? i : invitations(id) - 1 - i;
            invitations.addObject()
                    .put("eventId", 200 + event)
                    .put("eventCode", "INV" + event)
                    .put("eventStartDateTime", eventStart(event))
                    .put("inviteLinkYes", "https://sandbox.invalid/invite/" + id + "/" + event + "/yes")
                    .put("inviteLinkNo", "https://sandbox.invalid/invite/" + id + "/" + event + "/no")
                    .put("response", "U");
        }
        ArrayNode registrations = contact.putArray("eventRegistrations");
        for (int i = 0; i < registrations(id); i++) {
            int event = useEventSortOrder ? i : registrations(id) - 1 - i;
            registrations.add(registration(mapper, id, event));
        }
        contact.putArray("externalUrls");
        contact.putObject("privacyConsentData").put("source", 5).put("dateTime", "2024-02-01 10:00:00");
        contact.put(UNDOCUMENTED_FIELD, "gold");
        return contact;
    }

    private static ObjectNode registration(ObjectMapper mapper, long id, int event) {
        long registrationId = id * 100 + event;
        ObjectNode registration = mapper.createObjectNode()
                .put("eventId", 100 + event)
                .put("eventCode", "EVT" + event)
                .put("eventStartDateTime", eventStart(event))
                .put("registrationId", registrationId)
                .put("currentStatus", 2)
                .put("confirmedDate", "2026-10-01 08:00:00")
                .put("isPaymentWaiting", false)
                .put("printTicketUrl", "https://sandbox.invalid/ticket/" + registrationId)
                .put("printTicketUrlPdf", "https://sandbox.invalid/ticket/" + registrationId + ".pdf")
                .put("attendeeCount", 1)
                .put("invoiceUrl", "https://sandbox.invalid/invoice/" + registrationId)
                .put("invoiceUrlPdf", "https://sandbox.invalid/invoice/" + registrationId + ".pdf");
        registration.putArray("guestDetails").addObject()
                .put("contactId", id).put("fullName", "Sample" + id + " Contact")
                .put("email", "sample" + id + "@example.com").put("attended", false).putNull("attendedDateTime");
        ArrayNode invoices = registration.putArray("invoices");
        for (int n = 0; n < event % 2 + 1; n++) {
            invoices.addObject()
                    .put("id", registrationId * 10 + n)
                    .put("reference", "INV-" + registrationId + "-" + n)
                    .put("title", "Registration")
                    .put("currentStatus", 0)
                    .put("description", "Event " + event)
                    .put("currency", "AUD")
                    .put("totalCost", new BigDecimal("123.50"))
                    .put("totalPaid", new BigDecimal("0.00"))
                    .put("invoiceUrl", "https://sandbox.invalid/invoice/" + registrationId + "/" + n)
                    .put("invoiceUrlPdf", "https://sandbox.invalid/invoice/" + registrationId + "/" + n + ".pdf");
        }
        return registration;
    }

    private static String eventStart(int event) {
        return String.format("2027-%02d-15 09:00:00", event % 12 + 1);
    }
}
