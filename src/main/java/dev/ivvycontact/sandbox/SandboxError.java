package dev.ivvycontact.sandbox;

import java.util.List;

/** An error answer in iVvy's JSON shape, with the HTTP status it is sent with. */
record SandboxError(int status, int errorCode, Integer specificCode, String message, List<String> additionalMessages) {

    static SandboxError unauthorized(String why) {
        return new SandboxError(401, 401, null, "Unauthorized: " + why, List.of());
    }

    static SandboxError stale() {
        return new SandboxError(401, 401, 23005, "Request is stale", List.of());
    }

    static SandboxError keyRevoked() {
        return new SandboxError(463, 463, null, "Key Revoked", List.of());
    }

    static SandboxError notFound() {
        return new SandboxError(404, 404, 24096, "Unable to find contact", List.of());
    }

    static SandboxError invalid(String parameter, String why) {
        return new SandboxError(400, 400, 23016, "'" + parameter + "' does not validate", List.of(why));
    }

    static SandboxError missing(String parameter) {
        return new SandboxError(400, 400, 23017, "'" + parameter + "' is required", List.of());
    }

    static SandboxError unknownCall() {
        return new SandboxError(404, 404, null, "Not Found", List.of());
    }
}
