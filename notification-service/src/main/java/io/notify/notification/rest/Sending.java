package io.notify.notification.rest;

import java.net.URI;
import java.util.Set;

import io.notify.notification.event.NotificationRequest;
import io.notify.notification.service.NotificationService;
import io.notify.notification.service.SendBatcher;
import io.notify.notification.service.Reader;
import io.notify.notification.service.SendPolicy;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response;

/**
 * The REST send path shared by every send endpoint: validate (the same rules as Kafka intake),
 * authorize the audience for the caller, store, answer 201 (or 200 for a repeated idempotency key).
 */
@ApplicationScoped
public class Sending {

    private final SendBatcher notifications;
    private final SendPolicy policy;
    private final Validator validator;

    public Sending(SendBatcher notifications, SendPolicy policy, Validator validator) {
        this.notifications = notifications;
        this.policy = policy;
        this.validator = validator;
    }

    public Response send(Reader sender, NotificationRequest request) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        policy.authorize(sender, request.audience());
        NotificationService.Sent sent;
        try {
            sent = notifications.send(request, sender.username(), "user:" + sender.userId());
        } catch (SendBatcher.Busy e) {
            throw HttpProblem.builder().withStatus(503).withTitle("Service Unavailable").withDetail(e.getMessage())
                    .withHeader("Retry-After", 1).build();
        }
        if (!sent.created()) {
            return Response.ok(sent.notification()).build();
        }
        return Response.created(URI.create("/api/notifications/" + sent.notification().id()))
                .entity(sent.notification()).build();
    }
}
