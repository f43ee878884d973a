package io.notify.notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Discriminator;
import org.eclipse.microprofile.openapi.models.media.Schema;

import io.notify.problem.OpenApiConventions;

/**
 * notification-service's OpenAPI document ({@code mp.openapi.filter}): {@link OpenApiConventions}, and the
 * {@link Audience} a sender writes as one of six shapes told apart by {@code type} ({@code oneOf} with a
 * discriminator: a typed client builds "a company audience", not a bag of optional fields). What {@link ValidAudience}
 * checks is what the shapes require. An audience the service answers ({@code AudienceView}: in a notification, its
 * delivery figures, its events) keeps one flat shape: a reader sees no {@code user_ids}.
 */
public class ApiDocument extends OpenApiConventions {

    static final String AUDIENCE = "Audience";
    static final String AUDIENCE_VIEW = "AudienceView";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Map<String, Schema> schemas = schemas(openAPI);
        Schema flat = schemas.get(AUDIENCE);
        if (flat != null) {
            flat.description("Who the notification is for: `type` says which of the other fields it has. A reader "
                    + "sees no `user_ids` (other recipients are not shown); its sender does.").setExamples(null);
            openAPI.getComponents().addSchema(AUDIENCE_VIEW, flat);
            for (Map.Entry<String, Schema> schema : schemas(openAPI).entrySet()) {
                if (!schema.getKey().equals("NotificationRequest") && schema.getValue().getProperties() != null) {
                    Map<String, Schema> properties = new LinkedHashMap<>(schema.getValue().getProperties());
                    properties.replaceAll((name, property) ->
                            ("#/components/schemas/" + AUDIENCE).equals(property.getRef()) ? ref(AUDIENCE_VIEW) : property);
                    schema.getValue().setProperties(properties);
                }
            }
            openAPI.getComponents().addSchema(AUDIENCE, audience(openAPI));
        }
        super.filterOpenAPI(openAPI);
    }

    /** The six shapes, each a component schema, and the audience that is one of them. */
    private static Schema audience(OpenAPI openAPI) {
        Discriminator discriminator = OASFactory.createDiscriminator().propertyName("type");
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "company");
        example.put("company", "company_a");
        List<Schema> shapes = new ArrayList<>();
        shape(openAPI, shapes, discriminator, "user", "UserAudience", "One user: `user_ids` holds exactly one id",
                "user_ids", userIds(1));
        shape(openAPI, shapes, discriminator, "users", "UsersAudience", "A list of users", "user_ids", userIds(10_000));
        shape(openAPI, shapes, discriminator, "company", "CompanyAudience", "Every user of `company`",
                "company", company());
        Schema role = shape(openAPI, shapes, discriminator, "role", "RoleAudience",
                "Every user with `role`, within `company` when given", "role", OASFactory.createSchema()
                        .addType(Schema.SchemaType.STRING).enumeration(List.of("user", "admin", "service")));
        role.addProperty("company", company());
        shape(openAPI, shapes, discriminator, "everyone", "EveryoneAudience", "Every user", null, null);
        Schema topic = shape(openAPI, shapes, discriminator, "topic", "TopicAudience",
                "The subscribers of `topic` within `company` (those who subscribed before it was sent)", "topic",
                OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern(Audience.TOPIC_KEY)
                        .examples(List.of("project-42")));
        topic.addProperty("company", company()).addRequired("company");
        return OASFactory.createSchema().description("Who the notification is for: one of six shapes, told apart by `type`.")
                .oneOf(shapes).discriminator(discriminator)
                .examples(List.of(example));
    }

    private static Schema shape(OpenAPI openAPI, List<Schema> shapes, Discriminator discriminator,
            String type, String name, String description, String field, Schema fieldSchema) {
        Schema shape = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description(description)
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(List.of(type)))
                .addRequired("type");
        if (field != null) {
            shape.addProperty(field, fieldSchema).addRequired(field);
        }
        openAPI.getComponents().addSchema(name, shape);
        shapes.add(ref(name));
        discriminator.addMapping(type, "#/components/schemas/" + name);
        return shape;
    }

    private static Schema userIds(int max) {
        return OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).minItems(1).maxItems(max)
                .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1).maxLength(64));
    }

    private static Schema company() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1).maxLength(64);
    }
}
