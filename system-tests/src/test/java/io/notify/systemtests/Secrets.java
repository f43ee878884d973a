package io.notify.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Every secret the system tests send or receive over REST (passwords, client secrets, access and refresh tokens, the
 * browser session's cookie),
 * collected by a REST Assured filter installed for the whole run, so that LogSecretsSystemTest can prove none of
 * them reached a service's log.
 */
final class Secrets {

    /** JSON fields (requests and responses) and form fields that hold a secret, by kind. */
    private static final Pattern JSON_FIELD = Pattern.compile(
            "\"(password|client_secret|refresh_token|access_token|token)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Set<String> FORM_FIELDS = Set.of("password", "client_secret", "refresh_token");
    /** Shorter values (a test's "x") would match log text by chance; every real secret here is longer. */
    private static final int MIN_LENGTH = 6;

    private static final Map<String, Set<String>> BY_KIND = new ConcurrentHashMap<>();

    private Secrets() {
    }

    static void collectFromRestAssured() {
        RestAssured.filters(new Collector());
    }

    /** The secrets seen so far, by kind (password, client_secret, refresh_token, access_token). */
    static Map<String, Set<String>> byKind() {
        Map<String, Set<String>> copy = new java.util.TreeMap<>();
        BY_KIND.forEach((kind, values) -> copy.put(kind, Set.copyOf(values)));
        return copy;
    }

    static void add(String kind, String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            BY_KIND.computeIfAbsent("token".equals(kind) ? "access_token" : kind, k -> ConcurrentHashMap.newKeySet())
                    .add(value);
        }
    }

    private static void fromJson(String text) {
        if (text == null) {
            return;
        }
        Matcher m = JSON_FIELD.matcher(text);
        while (m.find()) {
            add(m.group(1), m.group(2));
        }
    }

    private static final class Collector implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            Object body = request.getBody();
            if (body instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    if (v instanceof String value && JSON_FIELD.matcher("\"" + k + "\":\"x\"").matches()) {
                        add(String.valueOf(k), value);
                    }
                });
            } else if (body != null) {
                fromJson(body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : body.toString());
            }
            request.getFormParams().forEach((k, v) -> {
                if (FORM_FIELDS.contains(k)) {
                    add(k, v);
                }
            });
            String authorization = request.getHeaders().getValue("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                add("access_token", authorization.substring(7).trim());
            } else if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                add("client_secret", decoded.substring(decoded.indexOf(':') + 1));
            }
            request.getCookies().forEach(c -> add("refresh_token", c.getValue())); // the browser session's cookie
            Response answer = context.next(request, response);
            answer.getDetailedCookies().forEach(c -> add("refresh_token", c.getValue()));
            String type = answer.getContentType();
            if (type != null && type.contains("json")) {
                fromJson(answer.asString());
            }
            return answer;
        }
    }
}
