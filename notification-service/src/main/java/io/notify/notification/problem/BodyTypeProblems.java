package io.notify.notification.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A JSON body of the wrong shape ({@code "title": {}}, {@code [null]} for an object) as an RFC 9457
 * problem naming the field. Without it the built-in mapper answered 400 with an empty body and no
 * content type (found by the OpenAPI fuzzer).
 */
@Provider
@Priority(100) // before the built-in mapper and quarkus-resteasy-problem's
public class BodyTypeProblems implements ExceptionMapper<MismatchedInputException> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(MismatchedInputException e) {
        String field = field(e.getPath());
        String message = "has the wrong type"
                + (e.getTargetType() == null ? "" : " (expected " + jsonType(e.getTargetType()) + ")");
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", 400);
        problem.put("title", "Bad Request");
        problem.put("detail", (field.isEmpty() ? "the body" : field) + ": " + message);
        problem.put("instance", uri == null ? null : uri.getPath());
        problem.put("violations", List.of(Map.of("field", field, "in", "body", "message", message)));
        return Response.status(400).type("application/problem+json").entity(problem).build();
    }

    /** The JSON path as the client wrote it, e.g. {@code audience.user_ids[0]}. */
    public static String field(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String jsonType(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return java.time.temporal.Temporal.class.isAssignableFrom(type) ? "an RFC 3339 date-time" : "an object";
    }
}
