package io.notify.notification.send;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import io.notify.notification.NotificationView;
import io.notify.notification.delivery.AudienceSizes;
import io.notify.notification.identity.Caller;
import io.notify.notification.quota.QuotaKey;
import io.notify.notification.quota.QuotaMetrics;
import io.notify.notification.quota.QuotaVerdict;
import io.notify.notification.quota.SendQuotas;
import io.notify.problem.InvalidRequest;
import io.notify.problem.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

/**
 * The one send pipeline: validate → authorize (who may address whom, see {@link SendPolicy}) → take the send quotas it
 * counts against ({@link SendQuotas}) → enqueue for the group-committing writer → stored. REST sends go all the way
 * through it ({@link #send}): over quota, 429. Kafka requests, from trusted backends, are validated by the same rules
 * with the same violation list ({@link #violations}), take their company's quota ({@link #admitFromKafka}) and are
 * then stored ({@link #storeDurably}), or when over quota kept for a later window ({@link DeferredSends}). An invalid
 * REST request answers those violations as problem+json; an invalid Kafka request is dead-lettered with them as its
 * reason.
 *
 * <p>
 * REST without blocking: the endpoints run on the event loop, and the answer is written when the send writer has
 * committed, with no worker thread parked meanwhile (two thread hand-offs fewer per send). An authorization that asks
 * auth-service about recipients, and taking a quota (a statement), run on a worker: only an admin's sends to users or
 * to everyone, which count against no quota, stay on the event loop throughout.
 */
@ApplicationScoped
public class SendPipeline {

    /** The sender and idempotency scope of requests from the Kafka intake. */
    static final String KAFKA_SENDER = "kafka";
    private static final Logger LOG = Logger.getLogger(SendPipeline.class);

    private final SendBatcher notifications;
    private final SendPolicy policy;
    private final Validator validator;
    private final SendMetrics metrics;

    private final AudienceSizes audienceSizes;
    private final SendQuotas quotas;
    private final QuotaMetrics quotaMetrics;
    private final ScheduledSends scheduled;

    public SendPipeline(SendBatcher notifications, SendPolicy policy, Validator validator, SendMetrics metrics,
            AudienceSizes audienceSizes, SendQuotas quotas, QuotaMetrics quotaMetrics, ScheduledSends scheduled) {
        this.scheduled = scheduled;
        this.notifications = notifications;
        this.audienceSizes = audienceSizes;
        this.quotas = quotas;
        this.quotaMetrics = quotaMetrics;
        this.policy = policy;
        this.validator = validator;
        this.metrics = metrics;
    }

    /** What is wrong with the request (nothing: empty), as REST answers it and the dead-letter reason says it. */
    public List<Violation> violations(NotificationRequest request) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        return violations.isEmpty() ? List.of() : Violation.of(violations);
    }

    /** A REST send of {@code sender}: 201 (or 200 for a repeated idempotency key), or a problem. */
    public Uni<RestResponse<NotificationView>> send(Caller sender, NotificationRequest request) {
        return send(sender, request, SendMetrics.Path.REST);
    }

    /** A REST send, counted under {@code path} (REST or BROADCAST, the endpoint it came in by). */
    public Uni<RestResponse<NotificationView>> send(Caller sender, NotificationRequest request, SendMetrics.Path path) {
        Uni<RestResponse<NotificationView>> answer;
        try {
            if (request.sendAt() != null) {
                return schedule(sender, request, path);
            }
            validate(request);
            Uni<Integer> admitted; // the audience size, once authorized and within quota
            if (policy.asksDirectory(sender, request.audience())
                    || audienceSizes.asks(request.audience(), sender.credential())) {
                admitted = onWorker(() -> admit(sender, request, policy.authorize(sender, request.audience())));
            } else {
                List<QuotaKey> charges = policy.authorize(sender, request.audience());
                admitted = charges.isEmpty()
                        ? Uni.createFrom().item(audienceSizes.size(request.audience(), sender.credential()))
                        : onWorker(() -> admit(sender, request, charges));
            }
            answer = admitted.chain(size -> store(sender, request, size, path));
        } catch (RuntimeException e) {
            metrics.refused(path, reason(e));
            throw busyAsProblem(e);
        }
        return answer.onFailure().invoke(e -> metrics.refused(path, reason(e)))
                .onFailure(SendBatcher.Busy.class).transform(SendPipeline::busyAsProblem);
    }

    /**
     * A REST send with {@code send_at}: validated, authorized and counted against its quotas now (on a worker), kept
     * until due ({@link ScheduledSends}), answered 202 with the scheduled send. When its idempotency key names a send
     * already gone out, it answers that notification (200), as a retry of an immediate send does; so does a retry whose
     * {@code send_at} has passed meanwhile (without such a key that is the 400 it looks like). The answer is typed as
     * the endpoint's; a 202's entity is a {@link ScheduledSend}.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private Uni<RestResponse<NotificationView>> schedule(Caller sender, NotificationRequest request,
            SendMetrics.Path path) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        List<Violation> named = violations.isEmpty() ? List.of() : Violation.of(violations);
        boolean lateRetry = !named.isEmpty() && request.idempotencyKey() != null
                && named.stream().allMatch(v -> "send_at".equals(v.field()));
        if (!named.isEmpty() && !lateRetry) {
            throw new InvalidRequest(named);
        }
        return Uni.createFrom().item(() -> {
            if (lateRetry) {
                return scheduled.find(scope(sender), request.idempotencyKey())
                        .orElseThrow(() -> new InvalidRequest(named));
            }
            List<QuotaKey> charges = policy.authorize(sender, request.audience());
            Integer size = charges.isEmpty() ? audienceSizes.size(request.audience(), sender.credential())
                    : admit(sender, request, charges);
            return scheduled.schedule(request, sender.username(), scope(sender),
                    new SendBatcher.Sender(sender.userId(), sender.company(), size));
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).<RestResponse<NotificationView>> map(kept -> {
            metrics.accepted(path, 1);
            return kept.sent() != null ? RestResponse.ok(kept.sent())
                    : (RestResponse<NotificationView>) (RestResponse) RestResponse.status(RestResponse.Status.ACCEPTED,
                            kept.pending());
        }).onFailure().invoke(e -> metrics.refused(path, reason(e)));
    }

    /** A sender's idempotency scope: keys are unique per sending user or account. */
    public static String scope(Caller sender) {
        return "user:" + sender.userId();
    }

    private static Uni<Integer> onWorker(java.util.function.Supplier<Integer> blocking) {
        return Uni.createFrom().item(blocking).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * Takes the send's quotas (blocking): 429 naming the one used up, counted as refused for every company the send
     * counts against; 503 when the database cannot answer. Answers the audience size (which may ask auth-service, blocking too).
     */
    private Integer admit(Caller sender, NotificationRequest request, List<QuotaKey> charges) {
        QuotaVerdict verdict;
        try {
            verdict = quotas.take(charges);
        } catch (IllegalStateException e) { // the database did not answer: nothing was taken
            LOG.warnf("Taking a send quota failed: %s", e.getMessage());
            throw HttpProblem.builder().withStatus(503).withTitle("Service Unavailable")
                    .withDetail("Cannot count this send against its quotas right now; retry with the same "
                            + "idempotency_key")
                    .withHeader("Retry-After", 1).build();
        }
        if (!verdict.granted()) {
            charges.stream().filter(QuotaKey::isCompany)
                    .forEach(k -> quotaMetrics.refused(k.key(), verdict.refusedBy().scope()));
            throw verdict.asProblem();
        }
        return audienceSizes.size(request.audience(), sender.credential());
    }

    /** The write queue is full: 503, and the producer retries shortly. */
    private static RuntimeException busyAsProblem(Throwable e) {
        if (e instanceof SendBatcher.Busy) {
            return HttpProblem.builder().withStatus(503).withTitle("Service Unavailable").withDetail(e.getMessage())
                    .withHeader("Retry-After", 1).build();
        }
        return (RuntimeException) e;
    }

    private void validate(NotificationRequest request) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new InvalidRequest(Violation.of(violations));
        }
    }

    /**
     * Takes the quota a valid Kafka request counts against (its company's, see {@link SendPolicy#chargedFromKafka}):
     * granted, the consumer stores it ({@link #storeDurably}); refused, it keeps it for the window the verdict names
     * ({@link DeferredSends#defer}). Tried again like {@link #storeDurably} while the database is away (nothing is
     * taken by a failed try).
     */
    @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public QuotaVerdict admitFromKafka(NotificationRequest request) {
        try {
            return quotas.take(SendPolicy.chargedFromKafka(request.audience()));
        } catch (RuntimeException e) {
            LOG.warnf("Taking the send quota of a notification request failed, trying again: %s", e.toString());
            throw e;
        }
    }

    /**
     * Stores a valid Kafka request and returns once it is committed. A valid record must never be dead-lettered
     * because the database is briefly away or the writer busy: tried again with backoff (100 ms doubling up to 5 s),
     * for as long as it takes, holding its partition (its offset stays uncommitted) until the row is stored.
     */
    @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public NotificationWriter.Sent storeDurably(NotificationRequest request) {
        try {
            return submitFromKafka(request).join();
        } catch (java.util.concurrent.CompletionException e) {
            LOG.warnf("Storing a notification request failed, trying again: %s", e.getCause().toString());
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (RuntimeException e) {
            LOG.warnf("Storing a notification request failed, trying again: %s", e.toString());
            throw e;
        }
    }

    /**
     * Queues a valid Kafka request (already within its quota) for the writer; the result completes once it is
     * committed, and it is counted accepted then. Throws {@link SendBatcher.Busy} when the queue is full.
     */
    public CompletableFuture<NotificationWriter.Sent> submitFromKafka(NotificationRequest request) {
        // no caller token: a broadcast's audience size stays unknown
        return notifications.submit(request, KAFKA_SENDER, KAFKA_SENDER,
                new SendBatcher.Sender(null, null, audienceSizes.size(request.audience(), null)))
                .thenApply(sent -> {
                    metrics.accepted(SendMetrics.Path.KAFKA, 1);
                    return sent;
                });
    }

    /**
     * Keeps a valid Kafka request with {@code send_at} until due and returns once committed (its record is acknowledged
     * then). It counts against no quota now: see {@link ScheduledSends}. Tried again like {@link #storeDurably}.
     */
    @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public ScheduledSends.Keyed scheduleFromKafka(NotificationRequest request) {
        try {
            return scheduled.schedule(request, KAFKA_SENDER, KAFKA_SENDER,
                    new SendBatcher.Sender(null, null, audienceSizes.size(request.audience(), null)));
        } catch (RuntimeException e) {
            LOG.warnf("Keeping a scheduled notification request failed, trying again: %s", e.toString());
            throw e;
        }
    }

    /** A Kafka request dead-lettered as invalid. */
    void refusedFromKafka(SendMetrics.DeadLetterReason reason) {
        metrics.refused(SendMetrics.Path.KAFKA, "invalid");
        metrics.deadLettered(reason);
    }

    private static String reason(Throwable e) {
        if (e instanceof ConstraintViolationException || e instanceof InvalidRequest) {
            return "invalid";
        }
        if (e instanceof SendBatcher.Busy) {
            return "busy";
        }
        if (e instanceof HttpProblem problem) {
            return switch (problem.getStatusCode()) {
                case 400 -> "invalid";
                case 403 -> "forbidden";
                case 429 -> "rate_limited";
                case 503 -> "unavailable";
                default -> "failed";
            };
        }
        return "failed";
    }

    private Uni<RestResponse<NotificationView>> store(Caller sender, NotificationRequest request, Integer audienceSize,
            SendMetrics.Path path) {
        CompletableFuture<NotificationWriter.Sent> sent = notifications.submit(request, sender.username(),
                scope(sender), new SendBatcher.Sender(sender.userId(), sender.company(), audienceSize));
        // SendBatcher.Busy when the queue is full: see send
        // the writer completes the send: answering (the Location URI, the response) happens back on this
        // request's event loop, not on the one thread every send waits for
        Context context = Vertx.currentContext();
        Uni<NotificationWriter.Sent> stored = Uni.createFrom().completionStage(sent);
        if (context != null) {
            stored = stored.emitOn(task -> context.runOnContext(v -> task.run()));
        }
        return stored.map(s -> answer(s, path));
    }

    /** Typed, so the JSON writer is chosen once at build time rather than looked up for every answer. */
    private RestResponse<NotificationView> answer(NotificationWriter.Sent sent, SendMetrics.Path path) {
        metrics.accepted(path, 1);
        if (!sent.created()) {
            return RestResponse.ok(sent.notification());
        }
        return RestResponse.ResponseBuilder.<NotificationView> created(
                URI.create("/api/notifications/" + sent.notification().id())).entity(sent.notification()).build();
    }
}
