package io.notify.notification.problem;

import java.lang.annotation.ElementType;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

/**
 * Validation here only ever meets requests (records from JSON), never a JPA entity, so every
 * property is reachable and cascadable, as Bean Validation defines it without JPA. Quarkus puts this
 * bean into its ValidatorFactory instead of the JPA-aware resolver, which asked Hibernate ORM whether
 * each validated property of a request "is loaded": Hibernate answers that for a non-entity by
 * throwing and catching an exception, three per send.
 */
@ApplicationScoped
public class RequestTraversal implements TraversableResolver {

    @Override
    public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
            ElementType elementType) {
        return true;
    }

    @Override
    public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
            ElementType elementType) {
        return true;
    }
}
