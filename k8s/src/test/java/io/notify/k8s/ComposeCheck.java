package io.notify.k8s;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * compose.yaml, read as data (no Docker engine here): the same images as the Kubernetes build,
 * the same environment as the local launch with every address naming a compose service and the
 * port it listens on, start order by health, one published origin routed like the Ingress.
 */
final class ComposeCheck {

    /** service → what it must wait for, and how. */
    static final Map<String, Map<String, String>> DEPENDS_ON = Map.of(
            "kafka-topics", Map.of("kafka", "service_healthy"),
            "auth-service", Map.of("postgres", "service_healthy", "kafka-topics", "service_completed_successfully"),
            "notification-service", Map.of("postgres", "service_healthy", "kafka-topics", "service_completed_successfully"),
            "gateway-service", Map.of("kafka-topics", "service_completed_successfully"),
            "frontend", Map.of("auth-service", "service_started", "notification-service", "service_started",
                    "gateway-service", "service_started"));

    /** A location that proxies, its path as the Ingress writes it: {@code /api/auth}, {@code ~ ^/api/auth(/|$)}, {@code = /docs/x}. */
    private static final Pattern LOCATION = Pattern.compile(
            "location\\s+(?:=\\s*|~\\s*\\^)?(/[\\w./-]*)[^{]*\\{[^}]*?proxy_pass\\s+http://([\\w-]+):(\\d+)");

    private ComposeCheck() {
    }

    /**
     * {@code projectDir}: what relative mounts resolve against (compose's project directory);
     * {@code images}: image per service as the Kubernetes build names them.
     */
    static List<String> check(Path composeFile, Path projectDir, Map<String, String> images) {
        List<String> v = new ArrayList<>();
        JsonNode compose = Documents.read(composeFile).get(0);
        JsonNode services = compose.path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new TreeSet<>(Set.of("postgres", "kafka", "kafka-topics", "frontend"));
        expected.addAll(SuiteExpectations.ENVIRONMENT.keySet());
        if (!names.equals(expected)) {
            v.add("services " + names + " must be " + expected);
        }
        images.forEach((service, image) -> {
            String actual = services.path(service).path("image").asText();
            if (!image.equals(actual)) {
                v.add(service + ": image " + actual + " must be the one the Kubernetes manifests use, " + image);
            }
        });
        Map<String, Integer> listens = new LinkedHashMap<>(Map.of("postgres", 5432, "kafka", 9092));
        services.fields().forEachRemaining(s -> {
            String port = s.getValue().path("environment").path("PORT").asText();
            if (!port.isEmpty()) {
                listens.put(s.getKey(), Integer.parseInt(port));
            }
        });
        SuiteExpectations.ENVIRONMENT.forEach((service, env) -> {
            JsonNode environment = services.path(service).path("environment");
            for (String name : env) {
                // the local profile generates the signing key: no key file in compose
                if (!environment.has(name) && !name.equals("NOTIFY_AUTH_KEYS_PRIVATE_KEY_FILE")) {
                    v.add(service + ": environment lacks " + name);
                }
            }
            environment.fields().forEachRemaining(e -> address(service, e.getKey(), e.getValue().asText(), listens, v));
        });
        DEPENDS_ON.forEach((service, deps) -> deps.forEach((dep, condition) -> {
            String actual = services.path(service).path("depends_on").path(dep).path("condition").asText();
            if (!condition.equals(actual)) {
                v.add(service + ": must depend on " + dep + " with condition " + condition + ", has '" + actual + "'");
            }
        }));
        for (String infra : List.of("postgres", "kafka")) {
            if (services.path(infra).path("healthcheck").path("test").isMissingNode()) {
                v.add(infra + ": needs a healthcheck (others wait for it)");
            }
        }
        services.fields().forEachRemaining(s -> {
            JsonNode ports = s.getValue().path("ports");
            if (!s.getKey().equals("frontend") && !ports.isMissingNode()) {
                v.add(s.getKey() + ": publishes " + ports + "; only the frontend's one origin is published");
            }
            for (JsonNode volume : s.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") && !Files.exists(projectDir.resolve(source))) {
                    v.add(s.getKey() + ": mounts " + source + ", which does not exist");
                }
            }
        });
        if (!services.path("frontend").path("ports").toString().contains("8080:8080")) {
            v.add("frontend: must publish the one origin on 8080, as the local launch does");
        }
        routes(compose, listens, v);
        included(services.path("frontend"), projectDir, v);
        return v;
    }

    /** Where frontend/nginx.conf includes the compose routes, inside its own server block. */
    static final String ROUTES_DIR = "/etc/nginx/notify/";

    /**
     * The routes go into the image's own server block (frontend/nginx.conf: its security headers, the /q and unrouted
     * /api 404, the docs pages' CSP), never in place of it.
     */
    private static void included(JsonNode frontend, Path projectDir, List<String> v) {
        String target = "";
        for (JsonNode config : frontend.path("configs")) {
            if (config.path("source").asText().equals("one-origin")) {
                target = config.path("target").asText();
            }
        }
        if (!target.startsWith(ROUTES_DIR) || !target.endsWith(".conf")) {
            v.add("frontend: one-origin must be mounted as a .conf in " + ROUTES_DIR + ", which frontend/nginx.conf includes; at '"
                    + target + "' the image's server block is not the one that answers");
        }
        try {
            if (!Files.readString(projectDir.resolve("frontend/nginx.conf")).contains("include " + ROUTES_DIR + "*.conf;")) {
                v.add("frontend/nginx.conf: must include " + ROUTES_DIR + "*.conf in its server block");
            }
        } catch (java.io.IOException e) {
            v.add("frontend/nginx.conf: " + e);
        }
    }

    private static void address(String service, String name, String value, Map<String, Integer> listens, List<String> v) {
        String host;
        int port;
        if (value.startsWith("http://") || value.startsWith("jdbc:postgresql://")) {
            URI uri = URI.create(value.replaceFirst("^jdbc:", ""));
            host = uri.getHost();
            port = uri.getPort();
        } else if (name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
            host = value.split(":")[0];
            port = Integer.parseInt(value.split(":")[1]);
        } else {
            return;
        }
        if (!Integer.valueOf(port).equals(listens.get(host))) {
            v.add(service + ": " + name + "=" + value + " names no compose service listening on that port");
        }
    }

    /** The compose nginx server block must route every Ingress path to the same service. */
    private static void routes(JsonNode compose, Map<String, Integer> listens, List<String> v) {
        String config = compose.path("configs").path("one-origin").path("content").asText();
        Map<String, String> routed = new LinkedHashMap<>();
        Matcher m = LOCATION.matcher(config);
        while (m.find()) {
            routed.put(m.group(1), m.group(2));
            if (!Integer.valueOf(m.group(3)).equals(listens.get(m.group(2)))) {
                v.add("one-origin: " + m.group(1) + " proxies to port " + m.group(3) + " where " + m.group(2) + " does not listen");
            }
        }
        SuiteExpectations.ROUTES.forEach((path, service) -> {
            if (!path.equals("/") && !service.equals(routed.get(path))) {
                v.add("one-origin: " + path + " must proxy to " + service + ", proxies to " + routed.get(path));
            }
        });
        if (!config.contains("proxy_set_header Upgrade")) {
            v.add("one-origin: /api/ws must pass the WebSocket Upgrade header");
        }
    }
}
