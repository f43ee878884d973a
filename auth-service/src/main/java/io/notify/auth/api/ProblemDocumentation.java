package io.notify.auth.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.notify.problem.ProblemSchemas;

/**
 * Documents every 4xx response of every operation as RFC 9457 {@code application/problem+json},
 * which is what quarkus-resteasy-problem answers, so the operations need not repeat it, and corrects the
 * extension's own problem schemas ({@link ProblemSchemas}).
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
        ProblemSchemas.uriReferences(openAPI);
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

    private static Schema string(String description, String example) {
        Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
        return example == null ? schema : schema.examples(java.util.List.of(example));
    }
}
