package io.notify.systemtests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The notifications the faults test sends, and who must receive each one — decided here from the
 * audience rules alone (user ids, company, role with or without company, everyone), never by asking
 * the store.
 */
final class Traffic {

    /** Who a client is, as the audience rules see it. */
    record Member(String userId, String company, Set<String> roles) {
    }

    /** One audience: {@code type} with the fields that type uses (the others null). */
    record Audience(String type, List<String> userIds, String company, String role) {

        boolean addresses(Member m) {
            return switch (type) {
                case "user", "users" -> userIds.contains(m.userId());
                case "company" -> company.equals(m.company());
                case "role" -> m.roles().contains(role) && (company == null || company.equals(m.company()));
                case "everyone" -> true;
                default -> throw new IllegalArgumentException(type);
            };
        }

        Map<String, Object> json() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", type);
            if (userIds != null) {
                a.put("user_ids", userIds);
            }
            if (company != null) {
                a.put("company", company);
            }
            if (role != null) {
                a.put("role", role);
            }
            return a;
        }
    }

    /** Request {@code index}: even ones go over REST, odd ones as records on notification-requests. */
    record Request(int index, String key, Audience audience, boolean rest) {

        Map<String, Object> body(String run) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("audience", audience.json());
            body.put("title", "faults " + run + " #" + index);
            body.put("message", "request " + index + " of the faults test");
            body.put("type", "info");
            body.put("data", Map.of("key", key));
            body.put("idempotency_key", key);
            return body;
        }

        /** The Kafka record key: what the request is about (a user, a company), as producers route. */
        String routingKey() {
            return audience.userIds() != null ? audience.userIds().get(0)
                    : audience.company() != null ? audience.company() : audience.type();
        }
    }

    static List<Request> generate(String run, int count, List<Member> members, List<String> companies, long seed) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(100);
            Audience audience;
            if (pick < 30) {
                audience = new Audience("user", List.of(members.get(random.nextInt(members.size())).userId()), null, null);
            } else if (pick < 55) {
                int n = 2 + random.nextInt(7);
                List<String> ids = new ArrayList<>();
                while (ids.size() < n) {
                    String id = members.get(random.nextInt(members.size())).userId();
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                }
                audience = new Audience("users", ids, null, null);
            } else if (pick < 75) {
                audience = new Audience("company", null, companies.get(random.nextInt(companies.size())), null);
            } else if (pick < 93) {
                String role = random.nextInt(3) == 0 ? "admin" : "user";
                String company = random.nextInt(10) < 7 ? companies.get(random.nextInt(companies.size())) : null;
                // a company-less "user" role reaches every user of every tenant, this run's or not
                audience = new Audience("role", null, company, role);
            } else {
                audience = new Audience("everyone", null, null, null);
            }
            requests.add(new Request(i, "faults-" + run + "-" + i, audience, i % 2 == 0));
        }
        return requests;
    }

    private Traffic() {
    }
}
