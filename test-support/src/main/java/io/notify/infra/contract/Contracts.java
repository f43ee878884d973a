package io.notify.infra.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The Kafka contract in {@code contracts/asyncapi.yaml}, for tests: validates JSON against a
 * message's payload schema (JSON Schema draft-07) and reads the samples in {@code contracts/samples/}.
 *
 * <p>The repository root is the system property {@value #REPO_ROOT_PROPERTY} when set, else the
 * first of the working directory and its parents that holds {@code contracts/asyncapi.yaml}. The
 * document is read once per JVM.
 *
 * <p>A name is a key of {@code components.messages} (its {@code payload} is used), or else of
 * {@code components.schemas} (e.g. {@value #DEAD_LETTER_RECORD}, which describes the DLQ sample).
 * {@code $ref}s to {@code #/components/schemas/...} are resolved: each schema is built as one
 * draft-07 document whose {@code definitions} are {@code components.schemas}.
 */
public final class Contracts {

    /** System property naming the repository root (the directory that holds {@code contracts/}). */
    public static final String REPO_ROOT_PROPERTY = "notify.repo.root";

    /** Value of a record on {@code notification-requests}. */
    public static final String NOTIFICATION_REQUEST = "NotificationRequest";
    /** Record on {@code notification-requests-dlq}; its payload is raw bytes (a JSON string here). */
    public static final String NOTIFICATION_REQUEST_DEAD_LETTER = "NotificationRequestDeadLetter";
    /** Value of a record on {@code notification-events}. */
    public static final String NOTIFICATION_EVENT = "NotificationEvent";
    /** Message on {@code notification-receipts} (gateway → notification-service). */
    public static final String NOTIFICATION_RECEIPTS = "NotificationReceipts";
    /** Message on {@code notification-engagement} (notification-service → producers). */
    public static final String ENGAGEMENT_EVENT = "EngagementEvent";
    /** Message of {@code user-changes} (auth-service → gateways and notification-service). */
    public static final String USER_CHANGE = "UserChange";
    /** Schema (not a message) of {@code samples/notification-requests-dlq.json}: key, value_base64, headers. */
    public static final String DEAD_LETTER_RECORD = "DeadLetterRecord";

    private static final String CONTRACT = "contracts/asyncapi.yaml";
    private static final String SAMPLES = "contracts/samples";
    private static final String COMPONENT_REF = "#/components/schemas/";
    private static final String DEFINITIONS_REF = "#/definitions/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.LEGACY) // $.audience.user_ids[0]
            .locale(Locale.ENGLISH)
            .build();

    private static volatile Loaded loaded;

    private record Loaded(Path root, JsonNode document, Map<String, JsonSchema> schemas) {
    }

    private Contracts() {
    }

    /**
     * Validates {@code json} against the payload schema of message {@code name} (or the component
     * schema {@code name}).
     *
     * @return every error, each naming the JSON path of the offending field (e.g.
     *         {@code $.audience.user_ids: must have at most 1 items but found 2}, or
     *         {@code $: required property 'title' not found}); empty when valid.
     *         Text that is not JSON gives one error starting with {@code not JSON:}.
     * @throws IllegalArgumentException when there is no such message or schema
     */
    public static List<String> validate(String name, String json) {
        JsonSchema schema = schema(name); // unknown names fail even for unparsable input
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return List.of("not JSON: empty input");
        }
        return errors(schema, node);
    }

    /** Like {@link #validate(String, String)}, for an already parsed value. */
    public static List<String> validate(String name, JsonNode value) {
        return errors(schema(name), value);
    }

    /**
     * Validates Kafka headers (UTF-8 values) against the {@code headers} schema of message
     * {@code messageName}; a message without one accepts any headers.
     */
    public static List<String> validateHeaders(String messageName, Map<String, String> headers) {
        JsonNode message = message(messageName);
        if (message == null) {
            throw new IllegalArgumentException("No message " + messageName + " in " + CONTRACT + "; messages: "
                    + messageNames());
        }
        if (!message.has("headers")) {
            return List.of();
        }
        JsonSchema schema = load().schemas().computeIfAbsent("headers:" + messageName,
                k -> compile(message.get("headers")));
        return errors(schema, JSON.valueToTree(headers));
    }

    /** Throws an {@link AssertionError} listing every error unless {@code json} is valid. */
    public static void assertValid(String name, String json) {
        List<String> errors = validate(name, json);
        if (!errors.isEmpty()) {
            throw new AssertionError("Not a valid " + name + " per " + CONTRACT + ":\n  "
                    + String.join("\n  ", errors) + "\nValue: " + json);
        }
    }

    /** The text of {@code contracts/samples/<fileName>}, e.g. {@code "notification-event-created.json"} or {@code "invalid/bad-priority.json"}. */
    public static String sample(String fileName) {
        Path file = samplesDir().resolve(fileName).normalize();
        if (!file.startsWith(samplesDir())) {
            throw new IllegalArgumentException("Not a sample: " + fileName);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read sample " + file, e);
        }
    }

    /** {@code <repo>/contracts/samples}. */
    public static Path samplesDir() {
        return load().root().resolve(SAMPLES);
    }

    /** The repository root: the directory holding {@code contracts/asyncapi.yaml}. */
    public static Path repoRoot() {
        return load().root();
    }

    /** The parsed AsyncAPI document (do not modify it). */
    public static JsonNode document() {
        return load().document();
    }

    /** The keys of {@code components.messages}. */
    public static Set<String> messageNames() {
        Set<String> names = new LinkedHashSet<>();
        load().document().path("components").path("messages").fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ------------------------------------------------------------------ internals

    private static List<String> errors(JsonSchema schema, JsonNode value) {
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .map(ValidationMessage::getMessage)
                .distinct()
                .toList();
    }

    private static JsonNode message(String name) {
        JsonNode message = load().document().path("components").path("messages").get(name);
        if (message != null && message.has("$ref")) {
            message = pointer(message.get("$ref").asText());
        }
        return message;
    }

    private static JsonSchema schema(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name is null");
        }
        return load().schemas().computeIfAbsent(name, n -> {
            JsonNode message = message(n);
            if (message != null) {
                JsonNode payload = message.get("payload");
                if (payload == null) {
                    throw new IllegalArgumentException("Message " + n + " has no payload in " + CONTRACT);
                }
                return compile(payload);
            }
            JsonNode component = load().document().path("components").path("schemas").get(n);
            if (component != null) {
                return compile(component);
            }
            throw new IllegalArgumentException("No message or schema " + n + " in " + CONTRACT + "; messages: "
                    + messageNames());
        });
    }

    /** One draft-07 document: the schema (under allOf, since $ref siblings are ignored) plus every component schema as definitions. */
    private static JsonSchema compile(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.putArray("allOf").add(schema.deepCopy());
        JsonNode components = load().document().path("components").path("schemas");
        root.set("definitions", components.isObject() ? components.deepCopy() : JSON.createObjectNode());
        rewriteRefs(root);
        return FACTORY.getSchema(root, CONFIG);
    }

    private static void rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (target.startsWith(COMPONENT_REF)) {
                    object.set("$ref", TextNode.valueOf(DEFINITIONS_REF + target.substring(COMPONENT_REF.length())));
                } else if (target.startsWith("#/")) {
                    throw new IllegalStateException("Only #/components/schemas/ refs are supported in schemas: " + target);
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                rewriteRefs(it.next().getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(Contracts::rewriteRefs);
        }
    }

    private static JsonNode pointer(String ref) {
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("Only local refs are supported: " + ref);
        }
        JsonNode target = load().document().at(ref.substring(1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("Unresolvable $ref " + ref + " in " + CONTRACT);
        }
        return target;
    }

    private static Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (Contracts.class) {
                l = loaded;
                if (l == null) {
                    Path root = findRoot();
                    Path file = root.resolve(CONTRACT);
                    try {
                        l = new Loaded(root, YAML.readTree(file.toFile()), new ConcurrentHashMap<>());
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot parse " + file, e);
                    }
                    loaded = l;
                }
            }
        }
        return l;
    }

    private static Path findRoot() {
        String configured = System.getProperty(REPO_ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path root = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve(CONTRACT))) {
                throw new IllegalStateException("-D" + REPO_ROOT_PROPERTY + "=" + configured + " holds no " + CONTRACT);
            }
            return root;
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(CONTRACT))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + CONTRACT + " in " + start + " or its parents; set -D"
                + REPO_ROOT_PROPERTY + "=<repo root>");
    }
}
