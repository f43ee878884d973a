package io.notify.notification.send;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.notify.notification.Audience;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.DirectoryClient;
import io.notify.notification.quota.QuotaKey;
import io.notify.problem.InvalidRequest;
import io.notify.problem.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Who may send to whom, and which send quotas ({@code quota.SendQuotas}) a send counts against. An {@code admin} may
 * send to any audience; a {@code service} account to the companies in its scope (their company and roles, and users of
 * them); a {@code user} only to users of their own company.
 *
 * <p>
 * A topic audience is a company's: admins send to any, service accounts to the topics of the companies in their scope
 * (another company's topic is a 400 naming {@code audience.company}: the request names a company it cannot address),
 * users to none (403, as for company audiences).
 *
 * <p>
 * What a send counts against: the company it addresses (a company, topic, or role audience with a company), or for a user/users
 * audience sent by a service or user the companies of its recipients, as the directory answered them (each company
 * once); a service account's sends also against the account (its token's {@code sub}), a user's against the user. An
 * admin's sends count against no user quota, and a user/users audience of theirs against no company (the directory is
 * not asked for admins); an everyone audience, or a role in every company, against no company. Kafka requests
 * ({@link #chargedFromKafka}) count against the company they address; a user/users audience there against none (no
 * caller token to ask the directory with).
 */
@ApplicationScoped
public class SendPolicy {

    private final DirectoryClient directory;

    public SendPolicy(DirectoryClient directory) {
        this.directory = directory;
    }

    /** Whether {@link #authorize} asks auth-service (a blocking call) for this sender and audience. */
    public boolean asksDirectory(Caller sender, Audience audience) {
        return !sender.isAdmin() && (audience.type().equals("user") || audience.type().equals("users"));
    }

    /**
     * Throws 403 unless {@code sender} may send to {@code audience}; answers the quotas the send counts against, the
     * sender's own first (empty: none).
     */
    public List<QuotaKey> authorize(Caller sender, Audience audience) {
        if (sender.isAdmin()) {
            return addressedCompany(audience).map(QuotaKey::company).map(List::of).orElse(List.of());
        }
        if (sender.isService()) {
            Set<String> companies = authorizeWithin(sender, audience, sender.scope(),
                    "the companies of this service account");
            return charges(QuotaKey.serviceAccount(sender.userId()), companies);
        }
        if (!sender.roles().contains("user") || sender.company() == null) {
            throw forbidden("This token may not send notifications");
        }
        if (!audience.type().equals("user") && !audience.type().equals("users")) {
            throw forbidden("A user may send only to users of their own company (audience user or users)");
        }
        Set<String> companies = authorizeWithin(sender, audience, Set.of(sender.company()), "your own company");
        return charges(QuotaKey.user(sender.userId()), companies);
    }

    /** The quotas a valid Kafka request counts against: the company it addresses, if any. */
    public static List<QuotaKey> chargedFromKafka(Audience audience) {
        return addressedCompany(audience).map(QuotaKey::company).map(List::of).orElse(List.of());
    }

    private static java.util.Optional<String> addressedCompany(Audience audience) {
        return audience.type().equals("company") || audience.type().equals("role") || audience.type().equals("topic")
                ? java.util.Optional.ofNullable(audience.company()) : java.util.Optional.empty();
    }

    private static List<QuotaKey> charges(QuotaKey sender, Set<String> companies) {
        List<QuotaKey> charges = new ArrayList<>(1 + companies.size());
        charges.add(sender);
        companies.forEach(c -> charges.add(QuotaKey.company(c)));
        return charges;
    }

    /** Throws 403 unless the audience lies within {@code companies}; answers the companies it addresses. */
    private Set<String> authorizeWithin(Caller sender, Audience audience, Set<String> companies, String scopeName) {
        Set<String> addressed = new LinkedHashSet<>();
        boolean allowed = switch (audience.type()) {
            case "topic" -> {
                if (!companies.contains(audience.company())) {
                    throw new InvalidRequest(List.of(new Violation("audience.company", "body",
                            "is not a company of this service account; a topic is always within one of them")));
                }
                addressed.add(audience.company());
                yield true;
            }
            case "company", "role" -> {
                addressed.add(audience.company());
                yield audience.company() != null && companies.contains(audience.company());
            }
            case "user", "users" -> {
                Map<String, String> known = directory.companies(audience.userIds(), sender.credential());
                audience.userIds().stream().map(known::get).forEach(addressed::add);
                yield addressed.stream().allMatch(c -> c != null && companies.contains(c));
            }
            default -> false;
        };
        if (!allowed) {
            throw forbidden("You may send only to " + scopeName);
        }
        return addressed;
    }

    private static HttpProblem forbidden(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden").withDetail(detail)
                .build();
    }
}
