package io.notify.notification.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import jakarta.annotation.Priority;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * RFC 9457 problem for invalid input, naming each field as the client wrote it: the JSON name in a
 * body ({@code audience.user_ids}, also for bodies validated after conversion), or the query / path
 * parameter. Replaces the generic mapper, which loses the name of query parameters and of fields
 * validated outside a resource method.
 */
@Provider
@Priority(100) // before quarkus-resteasy-problem's mappers (999)
public class ViolationProblems implements ExceptionMapper<ConstraintViolationException> {

    @Context
    ResourceInfo resource;

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<Map<String, String>> violations = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            Map<String, String> violation = new LinkedHashMap<>();
            String[] where = locate(v.getPropertyPath());
            violation.put("field", where[0]);
            violation.put("in", where[1]);
            violation.put("message", v.getMessage());
            violations.add(violation);
        }
        violations.sort(Comparator.comparing((Map<String, String> v) -> v.get("field")).thenComparing(v -> v.get("message")));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", 400);
        problem.put("title", "Bad Request");
        problem.put("detail", String.join("; ", violations.stream().map(v -> v.get("field") + ": " + v.get("message")).toList()));
        problem.put("instance", uri == null ? null : uri.getPath());
        problem.put("violations", violations);
        return Response.status(400).type("application/problem+json").entity(problem).build();
    }

    /** {field, in} for a violation path: method.parameter.property… or property… */
    private String[] locate(Path path) {
        List<String> names = new ArrayList<>();
        String in = "body";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                Path.ParameterNode parameter = node.as(Path.ParameterNode.class);
                String[] source = parameterSource(parameter.getParameterIndex());
                if (source != null) {
                    in = source[1];
                    names.add(source[0] != null ? source[0] : parameter.getName());
                }
                continue;
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                names.add(name);
            }
            if (node.getIndex() != null) {
                appendToLast(names, "[" + node.getIndex() + "]");
            } else if (node.getKey() != null && node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                appendToLast(names, "[" + node.getKey() + "]");
            }
        }
        return new String[] { String.join(".", names), in };
    }

    private static void appendToLast(List<String> names, String suffix) {
        if (names.isEmpty()) {
            names.add(suffix);
        } else {
            names.set(names.size() - 1, names.get(names.size() - 1) + suffix);
        }
    }

    /** {name or null, "query" | "path"} for a query or path parameter of the resource method; null for a body. */
    private String[] parameterSource(int index) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null || index >= method.getParameterCount()) {
            return null;
        }
        for (Annotation a : method.getParameterAnnotations()[index]) {
            if (a instanceof RestQuery q) {
                return new String[] { q.value().isEmpty() ? null : q.value(), "query" };
            }
            if (a instanceof QueryParam q) {
                return new String[] { q.value(), "query" };
            }
            if (a instanceof RestPath p) {
                return new String[] { p.value().isEmpty() ? null : p.value(), "path" };
            }
            if (a instanceof PathParam p) {
                return new String[] { p.value(), "path" };
            }
        }
        return null;
    }
}
