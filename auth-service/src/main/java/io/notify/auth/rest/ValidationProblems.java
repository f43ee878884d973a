package io.notify.auth.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemPostProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/**
 * Bean Validation failures as problem+json whose {@code violations} name each field the way the
 * client wrote it: JSON body properties in snake_case ({@code display_name}, not the Java
 * {@code displayName}), query, path, form and header parameters by their wire names.
 */
@ApplicationScoped
public class ValidationProblems implements ProblemPostProcessor {

    /** Where each kind of resource method parameter comes from; its annotation's value is the wire name. */
    private static final Map<Class<? extends Annotation>, String> SOURCES = Map.of(
            RestQuery.class, "query", QueryParam.class, "query",
            RestPath.class, "path", PathParam.class, "path",
            RestForm.class, "form", FormParam.class, "form",
            RestHeader.class, "header", HeaderParam.class, "header");

    @Override
    public HttpProblem apply(HttpProblem problem, ProblemContext context) {
        if (!(context.cause instanceof ConstraintViolationException e)) {
            return problem;
        }
        List<Map<String, String>> violations = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            String[] where = locate(violation);
            Map<String, String> v = new LinkedHashMap<>();
            v.put("field", where[0]);
            v.put("in", where[1]);
            v.put("message", violation.getMessage());
            violations.add(v);
        }
        violations.sort(Comparator.comparing((Map<String, String> v) -> v.get("field")).thenComparing(v -> v.get("message")));
        return HttpProblem.builder(problem).with("violations", violations).build();
    }

    /** Before the extension's logger, so that the log shows the same field names as the response. */
    @Override
    public int priority() {
        return 1000;
    }

    /** {field, in} of a violation of a resource method parameter or of a property inside the body. */
    static String[] locate(ConstraintViolation<?> violation) {
        Method method = null;
        String in = "body";
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                method = findMethod(violation.getRootBeanClass(), node.getName(),
                        node.as(Path.MethodNode.class).getParameterTypes());
            } else if (node.getKind() == ElementKind.PARAMETER) {
                int index = node.as(Path.ParameterNode.class).getParameterIndex();
                Parameter parameter = method == null ? null : method.getParameters()[index];
                String[] wire = parameter == null ? null : wireName(parameter);
                if (wire != null) {
                    field.append(wire[0]);
                    in = wire[1];
                }
            } else if (node.getKind() == ElementKind.PROPERTY) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(snakeCase(node.getName()));
            } else if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                field.append(node.getIndex() == null ? "[]" : "[" + node.getIndex() + "]");
            }
        }
        return new String[] { field.toString(), in };
    }

    private static String[] wireName(Parameter parameter) {
        for (Annotation a : parameter.getAnnotations()) {
            String in = SOURCES.get(a.annotationType());
            if (in != null) {
                String name = annotationValue(a);
                return new String[] { name.isEmpty() ? parameter.getName() : name, in };
            }
        }
        return null; // the body itself: its properties name the fields
    }

    private static String annotationValue(Annotation annotation) {
        try {
            return (String) annotation.annotationType().getMethod("value").invoke(annotation);
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    /**
     * The resource method as written: the root bean may be a generated subclass (interceptors)
     * whose overriding method carries no parameter annotations, so take the topmost declaration.
     */
    private static Method findMethod(Class<?> type, String name, List<Class<?>> parameterTypes) {
        Method found = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                found = c.getDeclaredMethod(name, parameterTypes.toArray(Class<?>[]::new));
            } catch (NoSuchMethodException e) {
                // declared further up, or not at all
            }
        }
        return found;
    }

    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
