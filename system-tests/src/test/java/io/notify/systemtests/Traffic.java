package io.notify.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.notify.client.Audience;
import io.notify.client.Notification;

/**
 * The notifications the faults test sends (as the Java SDK's {@link Notification}s), and who must receive each one —
 * decided here from the audience rules alone (user ids, company, role with or without company, everyone), never by
 * asking the store.
 */
final class Traffic {

    /** Who a client is, as the audience rules see it. */
    record Member(String userId, String company, Set<String> roles) {
    }

    /** Request {@code index}: even ones go over REST, odd ones as records on notification-requests. */
    record Request(int index, String key, Audience audience, boolean rest) {

        /** Whether the audience addresses {@code m}. */
        boolean addresses(Member m) {
            return switch (audience.type()) {
                case "user", "users" -> audience.userIds().contains(m.userId());
                case "company" -> audience.company().equals(m.company());
                case "role" -> m.roles().contains(audience.role())
                        && (audience.company() == null || audience.company().equals(m.company()));
                case "everyone" -> true;
                default -> throw new IllegalArgumentException(audience.type());
            };
        }

        /** The notification, its idempotency key (what every retry reuses) also in its data for the clients. */
        Notification notification(String run) {
            return Notification.to(audience).title("faults " + run + " #" + index)
                    .message("request " + index + " of the faults test").type("info").data("key", key)
                    .idempotencyKey(key).build();
        }
    }

    static List<Request> generate(String run, int count, List<Member> members, List<String> companies, long seed) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(100);
            Audience audience;
            if (pick < 30) {
                audience = Audience.user(members.get(random.nextInt(members.size())).userId());
            } else if (pick < 55) {
                int n = 2 + random.nextInt(7);
                List<String> ids = new ArrayList<>();
                while (ids.size() < n) {
                    String id = members.get(random.nextInt(members.size())).userId();
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                }
                audience = Audience.users(ids);
            } else if (pick < 75) {
                audience = Audience.company(companies.get(random.nextInt(companies.size())));
            } else if (pick < 93) {
                String role = random.nextInt(3) == 0 ? "admin" : "user";
                String company = random.nextInt(10) < 7 ? companies.get(random.nextInt(companies.size())) : null;
                // a company-less "user" role reaches every user of every tenant, this run's or not
                audience = company == null ? Audience.roleEverywhere(role) : Audience.role(role, company);
            } else {
                audience = Audience.everyone();
            }
            requests.add(new Request(i, "faults-" + run + "-" + i, audience, i % 2 == 0));
        }
        return requests;
    }

    private Traffic() {
    }
}
