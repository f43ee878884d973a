package io.notify.gateway.routing;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

@Readiness
@ApplicationScoped
public class EventStreamReadiness implements HealthCheck {

    private final EventStreamPosition position;

    public EventStreamReadiness(@Identifier("event-stream-position") EventStreamPosition position) {
        this.position = position;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("notification-events positioned")
                .status(position.isPositioned())
                .build();
    }
}
