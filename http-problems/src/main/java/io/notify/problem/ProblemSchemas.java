package io.notify.problem;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * quarkus-resteasy-problem documents a problem's {@code type} and {@code instance} as URIs; RFC
 * 9457 makes {@code type} a URI reference, and {@code instance} is the request path as decoded
 * ("/api/notifications", or "/api/broadcast/role/ü"), so every problem answer broke its own schema
 * (found by the OpenAPI fuzzer). Applied by {@link OpenApiConventions}, the filter of every service's document.
 */
public final class ProblemSchemas {

    private ProblemSchemas() {
    }

    /** The extension's problem schemas with {@code type} a URI reference and {@code instance} a plain string. */
    public static void uriReferences(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents() == null ? null : openAPI.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        for (String problem : List.of("HttpProblem", "HttpValidationProblem")) {
            Schema schema = schemas.get(problem);
            if (schema != null && schema.getProperties() != null) {
                Schema type = schema.getProperties().get("type");
                Schema instance = schema.getProperties().get("instance");
                if (type != null) {
                    type.format("uri-reference");
                }
                if (instance != null) {
                    instance.format(null).description("The request path, percent-decoded");
                }
            }
        }
    }
}
