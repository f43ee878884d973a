package io.notify.notification.rest;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jboss.resteasy.reactive.RestResponse;

import io.notify.notification.event.NotificationRequest;
import io.notify.notification.event.NotificationView;
import io.notify.notification.service.NotificationService;
import io.notify.notification.service.SendBatcher;
import io.notify.notification.service.Reader;
import io.notify.notification.service.SendPolicy;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

/**
 * The REST send path shared by every send endpoint: validate (the same rules as Kafka intake),
 * authorize the audience for the caller, store, answer 201 (or 200 for a repeated idempotency key).
 * Without blocking: the endpoints run on the event loop, and the answer is written when the send
 * writer has committed, with no worker thread parked meanwhile (two thread hand-offs fewer per send).
 * Only an authorization that asks auth-service about recipients runs on a worker.
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

    public Uni<RestResponse<NotificationView>> send(Reader sender, NotificationRequest request) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (policy.asksDirectory(sender, request.audience())) {
            return Uni.createFrom().item(() -> {
                policy.authorize(sender, request.audience());
                return request;
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).chain(r -> store(sender, r));
        }
        policy.authorize(sender, request.audience());
        return store(sender, request);
    }

    private Uni<RestResponse<NotificationView>> store(Reader sender, NotificationRequest request) {
        CompletableFuture<NotificationService.Sent> sent;
        try {
            sent = notifications.submit(request, sender.username(), "user:" + sender.userId());
        } catch (SendBatcher.Busy e) {
            throw HttpProblem.builder().withStatus(503).withTitle("Service Unavailable").withDetail(e.getMessage())
                    .withHeader("Retry-After", 1).build();
        }
        // the writer completes the send: answering (the Location URI, the response) happens back on this
        // request's event loop, not on the one thread every send waits for
        Context context = Vertx.currentContext();
        Uni<NotificationService.Sent> stored = Uni.createFrom().completionStage(sent);
        if (context != null) {
            stored = stored.emitOn(task -> context.runOnContext(v -> task.run()));
        }
        return stored.map(Sending::answer);
    }

    /** Typed, so the JSON writer is chosen once at build time rather than looked up for every answer. */
    private static RestResponse<NotificationView> answer(NotificationService.Sent sent) {
        if (!sent.created()) {
            return RestResponse.ok(sent.notification());
        }
        return RestResponse.ResponseBuilder.<NotificationView> created(
                URI.create("/api/notifications/" + sent.notification().id())).entity(sent.notification()).build();
    }
}
