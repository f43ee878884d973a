package io.notify.notification.actions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.notify.notification.SqlTimes;
import io.notify.notification.delivery.EngagementEvent;
import io.notify.notification.outbox.SequencedOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Webhooks: a service account's URL where the {@code actioned} events of the notifications it sent are POSTed, the
 * body signed with HMAC-SHA256 under the account's secret ({@value #SIGNATURE}: {@code sha256=<hex>}). Calls are
 * queued in {@code webhook_deliveries} in the completion's transaction, claimed by any instance, retried with
 * exponential backoff and marked {@code failed} once older than {@code notify.webhooks.give-up-after}.
 */
@ApplicationScoped
public class Webhooks {

    public static final String SIGNATURE = "X-Notify-Signature";
    public static final String EVENT_ID = "X-Notify-Event-Id";
    private static final Logger LOG = Logger.getLogger(Webhooks.class);
    private static final int BATCH = 20;

    private final EntityManager em;
    private final SequencedOutbox json;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration giveUpAfter;
    private final Duration timeout;
    private final HttpClient http;
    /** Created with the bean at run time: a static one would be built into the native image with a fixed seed. */
    private final SecureRandom random = new SecureRandom();
    /** Whether URLs may point at private addresses ({@link WebhookAddresses}). */
    private final boolean allowPrivate;

    public Webhooks(EntityManager em, SequencedOutbox json,
            @ConfigProperty(name = "notify.webhooks.backoff-base") Duration backoffBase,
            @ConfigProperty(name = "notify.webhooks.backoff-max") Duration backoffMax,
            @ConfigProperty(name = "notify.webhooks.give-up-after") Duration giveUpAfter,
            @ConfigProperty(name = "notify.webhooks.timeout") Duration timeout,
            @ConfigProperty(name = "notify.webhooks.allow-private-addresses") boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
        this.em = em;
        this.json = json;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.giveUpAfter = giveUpAfter;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The account's webhook: {@code secret} only in the answer that set it. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(requiredProperties = { "url" })
    public record Webhook(String url, @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String secret) {
    }

    /** Sets (or replaces) the account's URL with a new secret, answered this once (its address checked by {@link WebhookAddresses.Public}). */
    @Transactional
    public Webhook set(String accountId, String url) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        em.createNativeQuery("""
                INSERT INTO webhooks (account_id, url, secret) VALUES (:account, :url, :secret)
                ON CONFLICT (account_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, updated_at = now()""")
                .setParameter("account", accountId).setParameter("url", url).setParameter("secret", secret).executeUpdate();
        return new Webhook(url, secret);
    }

    @Transactional
    public Webhook get(String accountId) {
        List<?> url = em.createNativeQuery("SELECT url FROM webhooks WHERE account_id = :account")
                .setParameter("account", accountId).getResultList();
        return url.isEmpty() ? null : new Webhook((String) url.get(0), null);
    }

    @Transactional
    public boolean remove(String accountId) {
        return em.createNativeQuery("DELETE FROM webhooks WHERE account_id = :account").setParameter("account", accountId)
                .executeUpdate() > 0;
    }

    /** Queues the event for the sender's webhook, if it has one, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void queue(String senderId, EngagementEvent event) {
        if (senderId == null) {
            return;
        }
        em.createNativeQuery("""
                INSERT INTO webhook_deliveries (account_id, company, event_id, payload)
                SELECT account_id, :company, :event, :payload FROM webhooks WHERE account_id = :account""")
                .setParameter("company", event.company()).setParameter("event", event.eventId())
                .setParameter("payload", json.toJson(event)).setParameter("account", senderId).executeUpdate();
    }

    /** A delivery as the admin API lists it. */
    public record Delivery(long id, @com.fasterxml.jackson.annotation.JsonProperty("account_id") String accountId,
            @com.fasterxml.jackson.annotation.JsonProperty("event_id") UUID eventId, String status, int attempts,
            @com.fasterxml.jackson.annotation.JsonProperty("created_at") OffsetDateTime createdAt,
            @com.fasterxml.jackson.annotation.JsonProperty("finished_at")
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) OffsetDateTime finishedAt,
            @com.fasterxml.jackson.annotation.JsonProperty("last_error")
            @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String lastError) {
    }

    /** The newest deliveries (at most 100) of one account, or of the actioning users' company (null: none), by status. */
    @Transactional
    public List<Delivery> deliveries(String accountId, String company, String status) {
        return em.createNativeQuery("""
                SELECT id, account_id, event_id, status, attempts, created_at, finished_at, last_error
                  FROM webhook_deliveries
                 WHERE (account_id = :account OR company = :company) AND (:status = '' OR status = :status)
                 ORDER BY id DESC LIMIT 100""")
                .setParameter("account", accountId == null ? "" : accountId)
                .setParameter("company", company == null ? "" : company)
                .setParameter("status", status == null ? "" : status).getResultList().stream().map(r -> {
                    Object[] c = (Object[]) r;
                    return new Delivery(((Number) c[0]).longValue(), (String) c[1], (UUID) c[2], (String) c[3],
                            ((Number) c[4]).intValue(), SqlTimes.utc(c[5]), SqlTimes.utc(c[6]), (String) c[7]);
                }).toList();
    }

    private record Due(long id, String url, String secret, String payload, UUID eventId, int attempts,
            OffsetDateTime createdAt) {
    }

    @Scheduled(identity = "webhook-deliveries", every = "${notify.webhooks.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void deliverDue() {
        try {
            List<Due> due;
            do {
                due = QuarkusTransaction.requiringNew().call(this::claim);
                due.forEach(this::deliver);
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("Webhook deliveries failed, will retry: %s", e.toString());
        }
    }

    /** Due deliveries, leased to this instance for the call's timeout (another instance takes them after it). */
    private List<Due> claim() {
        return em.createNativeQuery("""
                UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => :lease)
                  FROM webhooks w
                 WHERE w.account_id = d.account_id AND d.id IN (
                       SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT :batch FOR UPDATE SKIP LOCKED)
                RETURNING d.id, w.url, w.secret, d.payload, d.event_id, d.attempts, d.created_at""")
                .setParameter("lease", timeout.toSeconds() * 2.0 + 1).setParameter("batch", BATCH).getResultList().stream()
                .map(r -> {
                    Object[] c = (Object[]) r;
                    return new Due(((Number) c[0]).longValue(), (String) c[1], (String) c[2], (String) c[3], (UUID) c[4],
                            ((Number) c[5]).intValue(), SqlTimes.utc(c[6]));
                }).toList();
    }

    private void deliver(Due d) {
        String error = WebhookAddresses.refusal(d.url(), allowPrivate).orElse(null); // it may resolve elsewhere by now
        if (error != null) {
            String refused = "not called: " + error;
            QuarkusTransaction.requiringNew().run(() -> record(d, refused));
            return;
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                    .header("Content-Type", "application/json").header(SIGNATURE, "sha256=" + sign(d.secret(), d.payload()))
                    .header(EVENT_ID, d.eventId().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding());
            error = response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (java.io.IOException | RuntimeException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // leased: tried again after the lease
        }
        String outcome = error;
        QuarkusTransaction.requiringNew().run(() -> record(d, outcome));
    }

    private void record(Due d, String error) {
        if (error == null) {
            em.createNativeQuery("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, "
                    + "finished_at = now(), last_error = NULL WHERE id = :id").setParameter("id", d.id()).executeUpdate();
            return;
        }
        OffsetDateTime now = SequencedOutbox.now();
        Duration backoff = backoffBase.multipliedBy(1L << Math.min(d.attempts(), 20));
        backoff = backoff.compareTo(backoffMax) > 0 ? backoffMax : backoff;
        boolean giveUp = now.plus(backoff).isAfter(d.createdAt().plus(giveUpAfter));
        em.createNativeQuery("UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = :error, "
                + "status = :status, next_attempt_at = :next, "
                + "finished_at = CASE WHEN :status = 'failed' THEN now() END WHERE id = :id")
                .setParameter("error", error.length() > 500 ? error.substring(0, 500) : error)
                .setParameter("status", giveUp ? "failed" : "pending").setParameter("next", now.plus(backoff))
                .setParameter("id", d.id()).executeUpdate();
    }

    /** HMAC-SHA256 of the body under the secret, lower-case hex. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
