package io.notify.auth.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents every 4xx response of every operation as RFC 9457 {@code application/problem+json},
 * which is what quarkus-resteasy-problem answers, so the operations need not repeat it. The
 * extension's own problem schemas call {@code type} and {@code instance} URIs: RFC 9457 makes
 * {@code type} a URI reference, and {@code instance} is the request path as decoded, which need not
 * be a valid URI at all (found by the OpenAPI fuzzer).
 */
public class ProblemDocumentation implements OASFilter {

    static final String MEDIA_TYPE = "application/problem+json";
    static final String SCHEMA_REF = "#/components/schemas/Problem";

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return operation;
        }
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") && (response.getContent() == null || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(OASFactory.createContent().addMediaType(MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA_REF))));
            }
        });
        return operation;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        uriReferences(openAPI);
        Schema violation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string("The offending field", "password"))
                .addProperty("in", string("body, query or path", "body"))
                .addProperty("message", string("What is wrong with it", "must not be blank"));
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", string("Problem type URI", null))
                .addProperty("title", string("Short summary", "Bad Request"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).examples(java.util.List.of(400)))
                .addProperty("detail", string("Explanation for this occurrence", null))
                .addProperty("instance", string("The request path", "/api/auth/login"))
                .addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(violation))
                .addProperty("error", string("OAuth 2.0 error code on the token endpoints", "invalid_grant"))
                .examples(java.util.List.<Object>of(inOrder("title", "Bad Request", "status", 400,
                        "violations", java.util.List.of(inOrder("field", "password", "in", "body", "message", "must not be blank"))))));
    }

    /** The example's keys in the schema's order: {@code Map.of} iterates in an order that changes from run to run. */
    private static Map<String, Object> inOrder(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static void uriReferences(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        for (String problem : java.util.List.of("HttpProblem", "HttpValidationProblem")) {
            Schema schema = schemas == null ? null : schemas.get(problem);
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

    private static Schema string(String description, String example) {
        Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
        return example == null ? schema : schema.examples(java.util.List.of(example));
    }
}
