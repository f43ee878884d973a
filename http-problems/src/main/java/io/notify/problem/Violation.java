package io.notify.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/**
 * One invalid field of a request, named as the client wrote it: JSON body properties in snake_case
 * ({@code audience.user_ids[0]}, not the Java {@code userIds}), query, path, form and header parameters by their
 * wire names. The one error shape of invalid input: a REST answer's {@code violations} (and its {@code detail}),
 * and whatever else reports a request as invalid (a dead-lettered Kafka record's reason: {@link #describe}).
 */
@RegisterForReflection
@JsonPropertyOrder({ "field", "in", "message" })
public record Violation(String field, String in, String message) {

    private static final Comparator<Violation> ORDER = Comparator.comparing(Violation::field)
            .thenComparing(Violation::message);

    /** The violations of a body validated on its own (no resource method around it), in the order clients see. */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations) {
        return of(violations, null);
    }

    /**
     * The violations sorted by field, then message; {@code resourceMethod} (may be null) names the parameters of
     * the resource method the request came through.
     */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations, Method resourceMethod) {
        List<Violation> list = new ArrayList<>(violations.size());
        for (ConstraintViolation<?> v : violations) {
            String[] where = locate(v, resourceMethod);
            list.add(new Violation(where[0], where[1], v.getMessage()));
        }
        list.sort(ORDER);
        return list;
    }

    /** {@code field: message; field: message}: a problem's detail, a dead letter's reason. */
    public static String describe(List<Violation> violations) {
        return String.join("; ", violations.stream().map(v -> v.field() + ": " + v.message()).toList());
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
                && Arrays.equals(resourceMethod.getParameterTypes(), parameterTypes)) {
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
