package io.notify.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jboss.resteasy.reactive.RestQuery;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * A query parameter that is not the number it should be ({@code ?after=abc}) is an invalid request: 400 with a
 * {@link Violation} naming it ({@link Invalid}, answered by {@link ViolationProblems}). JAX-RS answers 404 for a
 * query parameter it cannot convert, as if the resource did not exist. The parameter's name must be written in its
 * annotation ({@code @RestQuery("after")}): a converter sees no Java parameter names.
 */
@Provider
public class NumberQueryParameters implements ParamConverterProvider {

    private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(
            Long.class, Long::valueOf, long.class, Long::valueOf,
            Integer.class, Integer::valueOf, int.class, Integer::valueOf);

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Function<String, ?> parser = PARSERS.get(rawType);
        String name = parser == null ? null : queryName(annotations);
        if (name == null) {
            return null;
        }
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                try {
                    return value == null ? null : (T) parser.apply(value.strip());
                } catch (NumberFormatException e) {
                    throw new Invalid(new Violation(name, "query", "must be an integer"));
                }
            }

            @Override
            public String toString(T value) {
                return value == null ? null : value.toString();
            }
        };
    }

    private static String queryName(Annotation[] annotations) {
        for (Annotation a : annotations == null ? new Annotation[0] : annotations) {
            if (a instanceof RestQuery q && !q.value().isEmpty()) {
                return q.value();
            }
            if (a instanceof QueryParam q) {
                return q.value();
            }
        }
        return null;
    }

    /** A parameter that could not be converted; a WebApplicationException, so JAX-RS passes it on as it is. */
    public static class Invalid extends BadRequestException {

        private final transient Violation violation;

        Invalid(Violation violation) {
            super(violation.field() + ": " + violation.message());
            this.violation = violation;
        }

        public List<Violation> violations() {
            return List.of(violation);
        }
    }
}
