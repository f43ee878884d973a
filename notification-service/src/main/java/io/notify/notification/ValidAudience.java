package io.notify.notification;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The fields an audience type needs are present and the others absent; violations name the field. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidAudience.Validator.class)
public @interface ValidAudience {

    String message() default "inconsistent audience";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ValidAudience, Audience> {

        @Override
        public boolean isValid(Audience a, ConstraintValidatorContext context) {
            if (a == null || a.type() == null) {
                return true; // @NotNull on the fields reports these
            }
            context.disableDefaultConstraintViolation();
            boolean valid = true;
            int ids = a.userIds() == null ? 0 : a.userIds().size();
            switch (a.type()) {
                case "user" -> valid &= check(ids == 1, context, "user_ids", "must hold exactly one user id for a user audience");
                case "users" -> valid &= check(ids >= 1, context, "user_ids", "must hold at least one user id for a users audience");
                default -> valid &= check(ids == 0, context, "user_ids", "is only allowed for user and users audiences");
            }
            switch (a.type()) {
                case "company", "topic" -> valid &= check(a.company() != null, context, "company",
                        "is required for a " + a.type() + " audience");
                case "role" -> {
                    // company optional: the role within one company, or across all
                }
                default -> valid &= check(a.company() == null, context, "company", "is only allowed for company, role and topic audiences");
            }
            valid &= "role".equals(a.type())
                    ? check(a.role() != null, context, "role", "is required for a role audience")
                    : check(a.role() == null, context, "role", "is only allowed for a role audience");
            valid &= "topic".equals(a.type())
                    ? check(a.topic() != null, context, "topic", "is required for a topic audience")
                    : check(a.topic() == null, context, "topic", "is only allowed for a topic audience");
            return valid;
        }

        private static boolean check(boolean ok, ConstraintValidatorContext context, String field, String message) {
            if (!ok) {
                context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
            }
            return ok;
        }
    }
}
