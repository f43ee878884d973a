package io.notify.notification.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.notify.infra.test.KafkaTestResource;
import io.notify.infra.test.PostgresTestResource;
import io.notify.infra.test.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.validation.ValidatorFactory;

/**
 * Request validation never asks Hibernate ORM whether a property "is loaded" (the JPA-aware default
 * threw and caught an exception per validated property, three per send). Nested properties are still
 * validated: NotificationResourceTest.send_invalidRequest_answersProblemNamingEachField names
 * {@code audience.company}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = false)
class RequestTraversalTest {

    @Inject
    ValidatorFactory validation;

    @Test
    void theServicesValidatorFactory_usesRequestTraversal() {
        assertThat(validation.getTraversableResolver()).isInstanceOf(RequestTraversal.class);
    }
}
