package io.notify.problem;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * What makes a service's OpenAPI document usable by standard client generators (openapi-generator, openapi-typescript)
 * and linters (Redocly's recommended rules), applied to every REST service's document ({@code mp.openapi.filter}
 * names this class or a subclass):
 * <ul>
 * <li>a Bean Validation {@code @Pattern} that lists words ({@code user|admin|service}) is an {@code enum}, and every
 * other pattern is anchored: {@code @Pattern} matches the whole value, a JSON Schema pattern any part of it (but
 * {@code \S}, which stands for {@code @NotBlank});</li>
 * <li>every 400 answer is a {@value #VALIDATION_PROBLEM} with typed {@code violations} (what {@link ViolationProblems}
 * and {@link BodyTypeProblems} send), every other problem answer without a schema gets {@value #PROBLEM};</li>
 * <li>a 2xx body's schema marks every property {@code required} unless it lists its required properties itself
 * (Jackson writes every property, null or not; a record with {@code @JsonInclude(NON_NULL)} lists them);</li>
 * <li>a request body's JSON form comes first (generators pick the first), an operation without a security
 * requirement says {@code security: []} (public), and the server is the document's own origin ({@code /}).</li>
 * </ul>
 * It also corrects the problem schemas of quarkus-resteasy-problem ({@link ProblemSchemas}).
 */
public class OpenApiConventions implements OASFilter {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String PROBLEM = "HttpProblem";
    public static final String VALIDATION_PROBLEM = "ValidationProblem";
    private static final String SCHEMAS = "#/components/schemas/";
    /** What SmallRye OpenAPI writes for {@code @NotBlank}: meant unanchored (some character that is not a space). */
    private static final String NOT_BLANK = "\\S";
    private static final Pattern WORDS = Pattern.compile("[A-Za-z0-9_]+(\\|[A-Za-z0-9_]+)*");

    @Override
    public Schema filterSchema(Schema schema) {
        String pattern = schema.getPattern();
        if (pattern != null) {
            if (WORDS.matcher(pattern).matches()) {
                schema.setPattern(null);
                schema.setEnumeration(new ArrayList<>(Arrays.asList((Object[]) pattern.split("\\|"))));
            } else if (!pattern.equals(NOT_BLANK) && (!pattern.startsWith("^") || !pattern.endsWith("$"))) {
                schema.setPattern("^(?:" + pattern + ")$");
            }
        }
        return schema;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        ProblemSchemas.uriReferences(openAPI);
        validationProblem(openAPI);
        openAPI.setServers(new ArrayList<>(List.of(OASFactory.createServer().url("/")
                .description("The origin the document is served from"))));
        Set<String> requestSchemas = new HashSet<>();
        Set<String> responseSchemas = new HashSet<>();
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
                operation(operation);
                collect(operation, requestSchemas, responseSchemas);
            }));
        }
        Map<String, Schema> schemas = schemas(openAPI);
        Set<String> inRequests = closure(requestSchemas, schemas);
        for (String name : closure(responseSchemas, schemas)) {
            Schema schema = schemas.get(name);
            if (!inRequests.contains(name) && schema != null && schema.getProperties() != null
                    && !schema.getProperties().isEmpty() && (schema.getRequired() == null || schema.getRequired().isEmpty())
                    && !name.endsWith("Problem")) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
        dropUnusedSecuritySchemes(openAPI);
    }

    /** The component schemas, read-only (never null): change them through the components. */
    protected static Map<String, Schema> schemas(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        return schemas == null ? Map.of() : schemas;
    }

    /** A reference to a component schema. */
    protected static Schema ref(String name) {
        return OASFactory.createSchema().ref(SCHEMAS + name);
    }

    private void operation(Operation operation) {
        if (operation.getSecurity() == null) {
            operation.setSecurity(new ArrayList<>()); // public: says so, instead of inheriting nothing
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            Content content = operation.getRequestBody().getContent();
            Map<String, MediaType> types = content.getMediaTypes();
            if (types.containsKey("application/json") && !types.keySet().iterator().next().equals("application/json")) {
                Map<String, MediaType> jsonFirst = new LinkedHashMap<>();
                jsonFirst.put("application/json", types.get("application/json"));
                types.forEach(jsonFirst::putIfAbsent);
                Content reordered = OASFactory.createContent();
                jsonFirst.forEach(reordered::addMediaType);
                operation.getRequestBody().setContent(reordered);
            }
        }
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        operation.getResponses().getAPIResponses().forEach((code, response) -> problem(code, response));
    }

    /** The schema of a problem answer other than 400: {@value #PROBLEM}, the extension's, unless a service has its own. */
    protected String problemSchema() {
        return PROBLEM;
    }

    /** 4xx and 5xx answers are problem+json: 400 a validation problem, the others a problem. */
    private void problem(String code, APIResponse response) {
        if (!code.startsWith("4") && !code.startsWith("5")) {
            return;
        }
        if (response.getContent() == null || response.getContent().getMediaTypes() == null
                || response.getContent().getMediaTypes().isEmpty()) {
            response.setContent(OASFactory.createContent().addMediaType(PROBLEM_JSON, OASFactory.createMediaType()));
        }
        MediaType problem = response.getContent().getMediaTypes().get(PROBLEM_JSON);
        if (problem == null) {
            return;
        }
        if (code.equals("400")) {
            problem.setSchema(ref(VALIDATION_PROBLEM));
        } else if (problem.getSchema() == null || (SCHEMAS + PROBLEM).equals(problem.getSchema().getRef())) {
            problem.setSchema(ref(problemSchema()));
        }
    }

    /**
     * {@value #VALIDATION_PROBLEM}: a problem with the {@code violations} {@link ViolationProblems} sends, each with
     * {@code field}, {@code in} and {@code message}; replaces the extension's HttpValidationProblem.
     */
    private void validationProblem(OpenAPI openAPI) {
        openAPI.getComponents().removeSchema("HttpValidationProblem");
        Map<String, Schema> schemas = schemas(openAPI);
        Schema violation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One invalid field of the request, named as the client wrote it")
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("The field: a JSON path in the body (audience.user_ids[0]) or a parameter's name")
                        .examples(List.of("title")))
                .addProperty("in", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .enumeration(List.of("body", "query", "path", "form", "header"))
                        .description("Where the field is"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("What is wrong with it").examples(List.of("must not be blank")))
                .required(List.of("field", "in", "message"));
        openAPI.getComponents().addSchema("Violation", violation);
        Schema problem = schemas.get(problemSchema());
        Schema validation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("An invalid request (400): RFC 9457 problem details whose `violations` name each invalid field")
                .additionalPropertiesBoolean(Boolean.TRUE);
        if (problem != null && problem.getProperties() != null) {
            problem.getProperties().forEach(validation::addProperty);
        }
        validation.addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                .items(ref("Violation")).description("Each invalid field; absent when the body is not JSON at all"));
        Map<String, Object> invalidTitle = new LinkedHashMap<>();
        invalidTitle.put("field", "title");
        invalidTitle.put("in", "body");
        invalidTitle.put("message", "must not be blank");
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("title", "Bad Request");
        example.put("status", 400);
        example.put("detail", "title: must not be blank");
        example.put("violations", List.of(invalidTitle));
        validation.examples(List.of(example));
        openAPI.getComponents().addSchema(VALIDATION_PROBLEM, validation);
    }

    /** {@code requests}: schemas of request bodies and parameters; {@code responses}: of 2xx bodies. */
    private static void collect(Operation operation, Set<String> requests, Set<String> responses) {
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            operation.getRequestBody().getContent().getMediaTypes().values().forEach(m -> refs(m.getSchema(), requests));
        }
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(p -> refs(p.getSchema(), requests));
        }
        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().forEach((code, response) -> {
                if (code.startsWith("2") && response.getContent() != null && response.getContent().getMediaTypes() != null) {
                    response.getContent().getMediaTypes().values().forEach(m -> refs(m.getSchema(), responses));
                }
            });
        }
    }

    /** The names of the component schemas {@code schema} refers to directly or inline. */
    private static void refs(Schema schema, Set<String> names) {
        if (schema == null) {
            return;
        }
        if (schema.getRef() != null && schema.getRef().startsWith(SCHEMAS)) {
            names.add(schema.getRef().substring(SCHEMAS.length()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(s -> refs(s, names));
        }
        refs(schema.getItems(), names);
        refs(schema.getAdditionalPropertiesSchema(), names);
        for (List<Schema> list : Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (list != null) {
                list.forEach(s -> refs(s, names));
            }
        }
    }

    /** {@code names} and every component schema they reach. */
    private static Set<String> closure(Set<String> names, Map<String, Schema> schemas) {
        Set<String> seen = new HashSet<>(names);
        Deque<String> todo = new ArrayDeque<>(names);
        while (!todo.isEmpty()) {
            Set<String> next = new HashSet<>();
            refs(schemas.get(todo.pop()), next);
            for (String name : next) {
                if (seen.add(name)) {
                    todo.push(name);
                }
            }
        }
        return seen;
    }

    /** Schemes no operation requires (the one Quarkus adds by itself beside the named ones). */
    private static void dropUnusedSecuritySchemes(OpenAPI openAPI) {
        if (openAPI.getComponents().getSecuritySchemes() == null || openAPI.getPaths() == null
                || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getSecurity() != null) {
                operation.getSecurity().forEach(requirement -> used.addAll(requirement.getSchemes().keySet()));
            }
        }));
        new ArrayList<>(openAPI.getComponents().getSecuritySchemes().keySet()).stream().filter(name -> !used.contains(name))
                .forEach(openAPI.getComponents()::removeSecurityScheme);
    }
}
