package io.notify.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answer (RFC 9457 problem+json, or any other body) as the typed {@link NotifyException} it stands for. */
final class Problems {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };

    private Problems() {
    }

    static NotifyException of(int status, String body, String retryAfterHeader) {
        Map<String, Object> members = parse(body);
        String type = string(members.remove("type"));
        String title = string(members.remove("title"));
        String detail = string(members.remove("detail"));
        String instance = string(members.remove("instance"));
        members.remove("status");
        if (detail == null && members.isEmpty() && body != null && !body.isBlank() && !body.startsWith("{")) {
            detail = body.length() > 500 ? body.substring(0, 500) + "…" : body; // a proxy's HTML or text answer
        }
        return switch (status) {
            case 400 -> new ValidationException(type, title, detail, instance, members, violations(members.remove("violations")));
            case 401 -> new AuthenticationException(type, title, detail, instance, members);
            case 403 -> new ForbiddenException(type, title, detail, instance, members);
            case 404 -> new NotFoundException(type, title, detail, instance, members);
            case 429 -> new QuotaExceededException(type, title, detail, instance, members, retryAfter(retryAfterHeader, Instant.now()));
            default -> new NotifyException(status, type, title, detail, instance, members);
        };
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            LinkedHashMap<String, Object> members = Json.MAPPER.readValue(body, OBJECT);
            return members == null ? new LinkedHashMap<>() : members;
        } catch (JsonProcessingException notAnObject) {
            return new LinkedHashMap<>();
        }
    }

    private static List<ValidationException.Violation> violations(Object value) {
        List<ValidationException.Violation> violations = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> v) {
                    violations.add(new ValidationException.Violation(string(v.get("field")), string(v.get("in")),
                            string(v.get("message"))));
                }
            }
        }
        return violations;
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
