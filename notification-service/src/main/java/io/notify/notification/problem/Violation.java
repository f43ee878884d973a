package io.notify.notification.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

/**
 * One invalid field of a request, named as the client wrote it: the JSON name in a body
 * ({@code audience.user_ids}), or the query / path parameter. The one error shape of invalid input: a REST answer's
 * {@code violations} (and its {@code detail}), and a dead-lettered Kafka request's reason ({@link #describe}).
 */
@RegisterForReflection
@JsonPropertyOrder({ "field", "in", "message" })
public record Violation(String field, String in, String message) {

    private static final Comparator<Violation> ORDER = Comparator.comparing(Violation::field)
            .thenComparing(Violation::message);

    /** Where a method parameter comes from: {name or null, "query" | "path"}, or null for a body. */
    public interface ParameterSource extends IntFunction<String[]> {
    }

    /** The violations of a body validated on its own (no resource method around it), in the order clients see. */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations) {
        return of(violations, index -> null);
    }

    /** The violations, their fields located with {@code parameters}, sorted by field, then message. */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations, ParameterSource parameters) {
        List<Violation> list = new ArrayList<>(violations.size());
        for (ConstraintViolation<?> v : violations) {
            String[] where = locate(v.getPropertyPath(), parameters);
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
    private static String[] locate(Path path, ParameterSource parameters) {
        List<String> names = new ArrayList<>();
        String in = "body";
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                Path.ParameterNode parameter = node.as(Path.ParameterNode.class);
                String[] source = parameters.apply(parameter.getParameterIndex());
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
}
