package io.notify.auth.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.notify.problem.OpenApiConventions;

/**
 * Documents every 4xx response of every operation as RFC 9457 {@code application/problem+json} with the
 * {@code Problem} schema (the OAuth 2.0 token endpoints add {@code error}), which is what quarkus-resteasy-problem
 * answers, so the operations need not repeat it; 400 answers are {@link OpenApiConventions#VALIDATION_PROBLEM}s. The
 * rest of what client generators need comes from {@link OpenApiConventions}.
 */
public class ProblemDocumentation extends OpenApiConventions {

    static final String PROBLEM = "Problem";

    @Override
    protected String problemSchema() {
        return PROBLEM;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(PROBLEM, OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .addProperty("type", string("Problem type URI", null).format("uri-reference"))
                .addProperty("title", string("Short summary", "Unauthorized"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).examples(List.of(401)))
                .addProperty("detail", string("Explanation for this occurrence", null))
                .addProperty("instance", string("The request path", "/api/auth/login"))
                .addProperty("error", string("OAuth 2.0 error code on the token endpoints", "invalid_grant"))
                .examples(List.<Object>of(inOrder("title", "Unauthorized", "status", 401))));
        super.filterOpenAPI(openAPI);
        openAPI.getComponents().removeSchema(OpenApiConventions.PROBLEM); // the extension's: Problem instead
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
        return example == null ? schema : schema.examples(List.of(example));
    }
}
