package io.notify.notification.service;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.notify.notification.config.SendConfig;
import io.notify.notification.event.Audience;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Who may send to whom: an {@code admin} to any audience; a {@code service} account to the
 * companies in its scope (their company and roles, and users of them); a {@code user} only to users
 * of their own company, rate limited per user (per instance: a token bucket in memory).
 */
@ApplicationScoped
public class SendPolicy {

    private final UserDirectory directory;
    private final SendConfig config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public SendPolicy(UserDirectory directory, SendConfig config) {
        this.directory = directory;
        this.config = config;
    }

    /** Whether {@link #authorize} asks auth-service (a blocking call) for this sender and audience. */
    public boolean asksDirectory(Reader sender, Audience audience) {
        return !sender.isAdmin() && (audience.type().equals("user") || audience.type().equals("users"));
    }

    public void authorize(Reader sender, Audience audience) {
        if (sender.isAdmin()) {
            return;
        }
        if (sender.isService()) {
            authorizeWithin(sender, audience, sender.scope(), "the companies of this service account");
            return;
        }
        if (!sender.roles().contains("user") || sender.company() == null) {
            throw forbidden("This token may not send notifications");
        }
        if (!audience.type().equals("user") && !audience.type().equals("users")) {
            throw forbidden("A user may send only to users of their own company (audience user or users)");
        }
        throttle(sender.userId());
        authorizeWithin(sender, audience, Set.of(sender.company()), "your own company");
    }

    private void authorizeWithin(Reader sender, Audience audience, Set<String> companies, String scopeName) {
        boolean allowed = switch (audience.type()) {
            case "company" -> companies.contains(audience.company());
            case "role" -> audience.company() != null && companies.contains(audience.company());
            case "user", "users" -> {
                Map<String, String> known = directory.companies(audience.userIds(), sender.rawToken());
                yield audience.userIds().stream().map(known::get).allMatch(c -> c != null && companies.contains(c));
            }
            default -> false;
        };
        if (!allowed) {
            throw forbidden("You may send only to " + scopeName);
        }
    }

    private void throttle(String userId) {
        long waitNanos = buckets.computeIfAbsent(userId, id -> new Bucket(config.userBurst(), config.userRatePerMinute()))
                .take();
        if (waitNanos > 0) {
            long seconds = Math.max(1, Duration.ofNanos(waitNanos).toSeconds() + 1);
            throw HttpProblem.builder().withStatus(429).withTitle("Too Many Requests")
                    .withDetail("Sending too fast; retry in " + seconds + " s")
                    .withHeader("Retry-After", seconds).build();
        }
        if (buckets.size() > 100_000) {
            buckets.values().removeIf(Bucket::full); // idle senders; keeps memory bounded
        }
    }

    private static HttpProblem forbidden(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden").withDetail(detail)
                .build();
    }

    /** A token bucket: {@code take} answers 0 when a token was available, else the nanos until one is. */
    static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(int burst, int perMinute) {
            this.capacity = burst;
            this.perNano = perMinute / 60e9;
            this.tokens = burst;
        }

        synchronized long take() {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) / perNano);
        }

        synchronized boolean full() {
            refill();
            return tokens >= capacity;
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
