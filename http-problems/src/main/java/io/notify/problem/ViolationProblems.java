package io.notify.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Bean Validation failures as an RFC 9457 problem whose {@code violations} name each field the way the
 * client wrote it ({@link Violation}), also for a body validated after conversion ({@link InvalidRequest}) or a
 * service method's parameter. Comes before the extension's generic mapper, which names Java properties and loses
 * parameter names.
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
        return problem(Violation.of(e.getConstraintViolations(), resource == null ? null : resource.getResourceMethod()), uri);
    }

    /** The 400 problem+json whose {@code violations} are {@code located}. */
    static Response problem(List<Violation> located, UriInfo uri) {
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
        return Response.status(400).type(OpenApiConventions.PROBLEM_JSON).entity(problem).build();
    }

    /** A request found invalid by the service's own check ({@link InvalidRequest}), its violations located already. */
    @Provider
    @Priority(100)
    public static class Located implements ExceptionMapper<InvalidRequest> {

        @Context
        UriInfo uri;

        @Override
        public Response toResponse(InvalidRequest e) {
            return problem(e.violations(), uri);
        }
    }

    /** A query parameter that is not a number ({@link NumberQueryParameters}). */
    @Provider
    @Priority(100)
    public static class InvalidParameters implements ExceptionMapper<NumberQueryParameters.Invalid> {

        @Context
        UriInfo uri;

        @Override
        public Response toResponse(NumberQueryParameters.Invalid e) {
            return problem(e.violations(), uri);
        }
    }
}
