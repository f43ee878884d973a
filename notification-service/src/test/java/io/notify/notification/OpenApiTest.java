package io.notify.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/** The served OpenAPI document is valid and documents every operation, as API users and the frontend build rely on. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    static SwaggerParseResult parse() {
        String document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    @Test
    void servedDocument_parsesWithoutErrors() {
        SwaggerParseResult result = parse();
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).containsKeys("/api/notifications", "/api/notifications/unread-count",
                "/api/notifications/{id}/read", "/api/notifications/read-all", "/api/notifications/{id}",
                "/api/notifications/preferences", "/api/notifications/preferences/muted", "/api/notifications/resume", "/api/notifications/broadcast",
                "/api/broadcast", "/api/broadcast/company/{company}", "/api/broadcast/role/{role}");
    }

    @Test
    void everyOperation_hasASummaryDescriptionAndDocumentedResponses_andEveryBodyAnExample() {
        OpenAPI api = parse().getOpenAPI();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String name = op.getKey() + " " + path.getKey();
                Operation operation = op.getValue();
                if (isBlank(operation.getSummary()) || isBlank(operation.getDescription())) {
                    problems.add(name + ": no summary or description");
                }
                if (operation.getResponses() == null || operation.getResponses().isEmpty()) {
                    problems.add(name + ": no responses");
                } else {
                    operation.getResponses().forEach((code, response) -> {
                        if (isBlank(response.getDescription())) {
                            problems.add(name + " " + code + ": response without description");
                        }
                    });
                }
                if (operation.getRequestBody() != null) {
                    for (MediaType media : operation.getRequestBody().getContent().values()) {
                        if (media.getExample() == null && !hasExample(api, media.getSchema())) {
                            problems.add(name + ": request body without an example");
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void document_isWhatClientGeneratorsNeed() {
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        List<String> operationIds = new ArrayList<>();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, methods) -> methods.forEach((method, operation) -> {
            String where = method + " " + path;
            operationIds.add((String) operation.get("operationId"));
            assertThat((List<Object>) operation.get("security")).as(where).containsExactly(Map.of("jwt", List.of()));
            Map<String, Map<String, Map<String, Map<String, Object>>>> responses =
                    (Map<String, Map<String, Map<String, Map<String, Object>>>>) operation.get("responses");
            if (responses.containsKey("400")) {
                assertThat((Map<String, Object>) responses.get("400").get("content").get("application/problem+json").get("schema"))
                        .as(where).containsEntry("$ref", "#/components/schemas/ValidationProblem");
            }
        }));
        assertThat(operationIds).doesNotContainNull().doesNotHaveDuplicates()
                .contains("sendNotification", "listNotifications", "markRead", "markAllRead", "deleteNotification");
        assertThat(doc.getMap("components.securitySchemes.jwt")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(doc.getList("servers.url")).containsExactly("/");
        // a sender's audience is one of six shapes told apart by type; a company audience requires its company, a topic
        // audience its topic and company
        assertThat(doc.getMap("components.schemas.Audience.discriminator.mapping")).containsOnlyKeys("user", "users",
                "company", "role", "everyone", "topic");
        assertThat(doc.getList("components.schemas.CompanyAudience.required")).containsExactlyInAnyOrder("type", "company");
        assertThat(doc.getList("components.schemas.TopicAudience.required")).containsExactlyInAnyOrder("type", "topic",
                "company");
        assertThat(doc.getList("components.schemas.NotificationRequest.properties.priority.enum"))
                .containsExactly("low", "normal", "high", "urgent");
        assertThat(doc.getList("components.schemas.UsersBroadcast.required")).contains("user_ids", "title", "message");
        assertThat(doc.getList("components.schemas.NotificationView.required")).contains("id", "seq", "title", "audience");
        assertThat(doc.getList("components.schemas.Violation.required")).containsExactly("field", "in", "message");
    }

    private static boolean hasExample(OpenAPI api, Schema<?> schema) {
        if (schema == null) {
            return false;
        }
        if (schema.get$ref() != null) {
            String ref = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            schema = api.getComponents().getSchemas().get(ref);
        }
        return schema != null && (schema.getExample() != null || schema.getExamples() != null && !schema.getExamples().isEmpty());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
