package io.notify.notification.send;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.notify.notification.Audience;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.DirectoryClient;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Who may send to whom: an {@code admin} to any audience; a {@code service} account to the
 * companies in its scope (their company and roles, and users of them); a {@code user} only to users
 * of their own company, rate limited per user (per instance: a Bucket4j token bucket in memory).
 */
@ApplicationScoped
public class SendPolicy {

    private final DirectoryClient directory;
    private final SendConfig config;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public SendPolicy(DirectoryClient directory, SendConfig config) {
        this.directory = directory;
        this.config = config;
    }

    /** Whether {@link #authorize} asks auth-service (a blocking call) for this sender and audience. */
    public boolean asksDirectory(Caller sender, Audience audience) {
        return !sender.isAdmin() && (audience.type().equals("user") || audience.type().equals("users"));
    }

    public void authorize(Caller sender, Audience audience) {
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

    private void authorizeWithin(Caller sender, Audience audience, Set<String> companies, String scopeName) {
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
        ConsumptionProbe probe = buckets.computeIfAbsent(userId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
            throw HttpProblem.builder().withStatus(429).withTitle("Too Many Requests")
                    .withDetail("Sending too fast; retry in " + seconds + " s")
                    .withHeader("Retry-After", seconds).build();
        }
        if (buckets.size() > 100_000) {
            buckets.values().removeIf(b -> b.getAvailableTokens() >= config.userBurst()); // idle senders; keeps memory bounded
        }
    }

    /** {@code user-burst} sends at once, refilled continuously at {@code user-rate-per-minute}. */
    private Bucket newBucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(config.userBurst())
                .refillGreedy(config.userRatePerMinute(), Duration.ofMinutes(1)).build()).build();
    }

    private static HttpProblem forbidden(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden").withDetail(detail)
                .build();
    }
}
