package io.notify.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import jakarta.annotation.Priority;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Bean Validation failures as an RFC 9457 problem whose {@code violations} name each field the way the
 * client wrote it: JSON body properties in snake_case ({@code audience.user_ids[0]}, not the Java
 * {@code userIds}), query, path, form and header parameters by their wire names, also for a body
 * validated after conversion or a service method's parameter. Comes before the extension's generic
 * mapper, which names Java properties and loses parameter names.
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
        List<Map<String, String>> violations = violations(e, resource == null ? null : resource.getResourceMethod());
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("status", 400);
        problem.put("title", "Bad Request");
        problem.put("detail", String.join("; ", violations.stream().map(v -> v.get("field") + ": " + v.get("message")).toList()));
        problem.put("instance", uri == null ? null : uri.getPath());
        problem.put("violations", violations);
        return Response.status(400).type("application/problem+json").entity(problem).build();
    }

    /** {field, in, message} per violation, sorted by field then message. */
    public static List<Map<String, String>> violations(ConstraintViolationException e, Method resourceMethod) {
        List<Map<String, String>> violations = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            String[] where = locate(v, resourceMethod);
            Map<String, String> violation = new LinkedHashMap<>();
            violation.put("field", where[0]);
            violation.put("in", where[1]);
            violation.put("message", v.getMessage());
            violations.add(violation);
        }
        violations.sort(Comparator.comparing((Map<String, String> v) -> v.get("field")).thenComparing(v -> v.get("message")));
        return violations;
    }

    /** {field, in} for a violation path: method.parameter.property… or property… */
    static String[] locate(ConstraintViolation<?> violation, Method resourceMethod) {
        Method method = null;
        List<String> names = new ArrayList<>();
        String in = "body";
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = method(violation.getRootBeanClass(), node.as(Path.MethodNode.class), resourceMethod);
                continue;
            }
            if (node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                Path.ParameterNode parameter = node.as(Path.ParameterNode.class);
                String[] source = method == null || parameter.getParameterIndex() >= method.getParameterCount() ? null
                        : wireName(method.getParameterAnnotations()[parameter.getParameterIndex()]);
                if (source != null) { // else the body itself: its properties name the fields
                    in = source[1];
                    names.add(source[0].isEmpty() ? parameter.getName() : source[0]);
                }
                continue;
            }
            if (node.isInIterable()) { // an element of the previous node: user_ids[0], data[key], roles[] (a set)
                appendToLast(names, "[" + (node.getIndex() != null ? node.getIndex()
                        : node.getKey() != null ? node.getKey() : "") + "]");
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) { // not <list element>, <map value>, …
                names.add(snakeCase(name));
            }
        }
        return new String[] { String.join(".", names), in };
    }

    /** {wire name or "", "query" | "path" | "form" | "header"} of a resource method parameter; null for a body. */
    private static String[] wireName(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof RestQuery q) {
                return new String[] { q.value(), "query" };
            }
            if (a instanceof QueryParam q) {
                return new String[] { q.value(), "query" };
            }
            if (a instanceof RestPath p) {
                return new String[] { p.value(), "path" };
            }
            if (a instanceof PathParam p) {
                return new String[] { p.value(), "path" };
            }
            if (a instanceof RestForm f) {
                return new String[] { f.value(), "form" };
            }
            if (a instanceof FormParam f) {
                return new String[] { f.value(), "form" };
            }
            if (a instanceof RestHeader h) {
                return new String[] { h.value(), "header" };
            }
            if (a instanceof HeaderParam h) {
                return new String[] { h.value(), "header" };
            }
        }
        return null;
    }

    /**
     * The validated method as written: the resource method when it is the one, else the topmost declaration
     * on the root bean's class (a generated subclass's override carries no parameter annotations).
     */
    private static Method method(Class<?> type, Path.MethodNode node, Method resourceMethod) {
        Class<?>[] parameterTypes = node.getParameterTypes().toArray(Class<?>[]::new);
        if (resourceMethod != null && resourceMethod.getName().equals(node.getName())
                && java.util.Arrays.equals(resourceMethod.getParameterTypes(), parameterTypes)) {
            return resourceMethod;
        }
        Method found = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                found = c.getDeclaredMethod(node.getName(), parameterTypes);
            } catch (NoSuchMethodException e) {
                // declared further up, or not at all
            }
        }
        return found;
    }

    private static void appendToLast(List<String> names, String suffix) {
        if (names.isEmpty()) {
            names.add(suffix);
        } else {
            names.set(names.size() - 1, names.get(names.size() - 1) + suffix);
        }
    }

    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
