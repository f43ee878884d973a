package io.notify.notification;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.Map;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * No NUL character (U+0000) anywhere in the value: PostgreSQL cannot store one in text or jsonb,
 * so it would fail every attempt to store the request (a 500 over REST, and a Kafka record retried
 * forever, holding its partition). Found by the OpenAPI fuzzer. Walks strings, maps (keys and
 * values) and collections.
 */
@Documented
@Constraint(validatedBy = NoNul.Validator.class)
@Target({ FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE })
@Retention(RUNTIME)
public @interface NoNul {

    String message() default "must not contain the NUL character (\\u0000)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<NoNul, Object> {
        @Override
        public boolean isValid(Object value, ConstraintValidatorContext context) {
            return free(value);
        }

        static boolean free(Object value) {
            if (value instanceof CharSequence s) {
                return s.chars().noneMatch(c -> c == 0);
            }
            if (value instanceof Map<?, ?> map) {
                return map.entrySet().stream().allMatch(e -> free(e.getKey()) && free(e.getValue()));
            }
            if (value instanceof Collection<?> items) {
                return items.stream().allMatch(Validator::free);
            }
            return true;
        }
    }
}
