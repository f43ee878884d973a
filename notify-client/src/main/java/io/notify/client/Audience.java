package io.notify.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Who a notification is for, as {@code POST /api/notifications} and {@code notification-requests} take it: one user,
 * a list of users (at most 10,000), every user of a company, every user with a role (within a company or, for admins,
 * everywhere), the subscribers of a company's topic, or everyone (admins only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Audience(
        String type,
        @JsonProperty("user_ids") List<String> userIds,
        String company,
        String role,
        String topic) {

    /** The most users one notification may address. */
    public static final int MAX_USERS = 10_000;

    /** A topic key: a letter or digit, then letters, digits, {@code . _ : -}; 128 characters at most. */
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public Audience {
        userIds = userIds == null ? null : List.copyOf(userIds);
    }

    public Audience(String type, List<String> userIds, String company, String role) {
        this(type, userIds, company, role, null);
    }

    public static Audience user(String userId) {
        return new Audience("user", List.of(Objects.requireNonNull(userId, "userId")), null, null);
    }

    public static Audience users(Collection<String> userIds) {
        Objects.requireNonNull(userIds, "userIds");
        List<String> ids = new ArrayList<>(userIds.size());
        for (String id : userIds) {
            ids.add(Objects.requireNonNull(id, "a user id is null"));
        }
        return new Audience("users", ids, null, null);
    }

    public static Audience users(String... userIds) {
        return users(List.of(userIds));
    }

    public static Audience company(String company) {
        return new Audience("company", null, Objects.requireNonNull(company, "company"), null);
    }

    /** Every user with {@code role} ({@code user}, {@code admin} or {@code service}) in {@code company}. */
    public static Audience role(String role, String company) {
        return new Audience("role", null, Objects.requireNonNull(company, "company"), Objects.requireNonNull(role, "role"));
    }

    /** Every user with {@code role} in every company (admins only). */
    public static Audience roleEverywhere(String role) {
        return new Audience("role", null, null, Objects.requireNonNull(role, "role"));
    }

    /**
     * The users of {@code company} subscribed to {@code topic} (e.g. {@code project-42}) when it is sent
     * ({@code PUT /api/topics/{key}/subscription}); stored once, however many subscribe.
     */
    public static Audience topic(String topic, String company) {
        return new Audience("topic", null, Objects.requireNonNull(company, "company"), null, Objects.requireNonNull(topic, "topic"));
    }

    /** Every user (admins only). */
    public static Audience everyone() {
        return new Audience("everyone", null, null, null);
    }

    /**
     * The Kafka record key: what the intake keeps in order (one user's, one company's requests). Null for everyone.
     */
    @JsonIgnore
    public String routingKey() {
        return switch (type) {
            case "user", "users" -> userIds.isEmpty() ? null : userIds.get(0);
            case "company" -> company;
            case "role" -> company != null ? company : role;
            case "topic" -> company;
            default -> null;
        };
    }

    void check(List<String> problems) {
        switch (type == null ? "" : type) {
            case "user" -> {
                if (userIds == null || userIds.size() != 1) {
                    problems.add("audience.user_ids: a user audience names exactly one user");
                }
            }
            case "users" -> {
                if (userIds == null || userIds.isEmpty() || userIds.size() > MAX_USERS) {
                    problems.add("audience.user_ids: a users audience names 1 to " + MAX_USERS + " users");
                }
            }
            case "company" -> {
                if (company == null || company.isBlank()) {
                    problems.add("audience.company: must not be blank");
                }
            }
            case "role" -> {
                if (role == null || !role.matches("user|admin|service")) {
                    problems.add("audience.role: must be one of user, admin, service");
                }
            }
            case "topic" -> {
                if (topic == null || !TOPIC.matcher(topic).matches()) {
                    problems.add("audience.topic: must be a topic key (a letter or digit, then letters, digits, . _ : -; at most 128)");
                }
                if (company == null || company.isBlank()) {
                    problems.add("audience.company: must not be blank");
                }
            }
            case "everyone" -> { }
            default -> problems.add("audience.type: must be one of user, users, company, role, topic, everyone");
        }
        if (userIds != null) {
            for (int i = 0; i < userIds.size(); i++) {
                String id = userIds.get(i);
                if (id.isBlank() || id.length() > 64) {
                    problems.add("audience.user_ids[" + i + "]: must be 1 to 64 characters");
                }
            }
        }
        if (company != null && (company.length() > 64 || company.isBlank())) {
            problems.add("audience.company: must be 1 to 64 characters");
        }
    }
}
