package io.notify.notification.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import jakarta.annotation.Priority;
import jakarta.validation.ConstraintViolationException;
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
        List<Violation> located = e instanceof InvalidRequest invalid ? invalid.violations()
                : Violation.of(e.getConstraintViolations(), this::parameterSource);
        List<Map<String, String>> violations = new ArrayList<>(located.size());
        for (Violation v : located) {
            Map<String, String> violation = new LinkedHashMap<>();
            violation.put("field", v.field());
            violation.put("in", v.in());
            violation.put("message", v.message());
            violations.add(violation);
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", 400);
        problem.put("title", "Bad Request");
        problem.put("detail", Violation.describe(located));
        problem.put("instance", uri == null ? null : uri.getPath());
        problem.put("violations", violations);
        return Response.status(400).type("application/problem+json").entity(problem).build();
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
