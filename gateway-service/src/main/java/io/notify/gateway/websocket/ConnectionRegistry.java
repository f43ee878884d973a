package io.notify.gateway.websocket;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.notify.gateway.event.Audience;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The sockets this instance holds, indexed by user, company, role and company+role, so that
 * delivering an event touches only the sockets it addresses.
 */
@ApplicationScoped
public class ConnectionRegistry {

    private final Map<String, Session> all = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byCompany = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byRole = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byCompanyRole = new ConcurrentHashMap<>();

    /** Indexes {@code session} under its current user (call again after its routing changed). */
    public void add(Session session) {
        SocketUser user = session.user();
        all.put(session.connection.id(), session);
        index(byUser, user.userId(), session);
        if (user.company() != null) {
            index(byCompany, user.company(), session);
        }
        for (String role : user.roles()) {
            index(byRole, role, session);
            if (user.company() != null) {
                index(byCompanyRole, companyRole(user.company(), role), session);
            }
        }
    }

    /** Unindexes {@code session} from where its current user put it. */
    public void remove(Session session) {
        if (all.remove(session.connection.id()) == null) {
            return;
        }
        SocketUser user = session.user();
        unindex(byUser, user.userId(), session);
        if (user.company() != null) {
            unindex(byCompany, user.company(), session);
        }
        for (String role : user.roles()) {
            unindex(byRole, role, session);
            if (user.company() != null) {
                unindex(byCompanyRole, companyRole(user.company(), role), session);
            }
        }
    }

    /** Sockets this instance holds for the user. */
    public int count(String userId) {
        return byUser.getOrDefault(userId, Set.of()).size();
    }

    /** Whether this instance holds a socket of this user. */
    public boolean holds(String userId) {
        return byUser.containsKey(userId);
    }

    public int size() {
        return all.size();
    }

    /** Calls {@code action} once for every local socket {@code audience} addresses. */
    public void forEachAddressed(Audience audience, Consumer<Session> action) {
        if (audience == null || audience.type() == null) {
            return;
        }
        switch (audience.type()) {
            case "user", "users" -> {
                List<String> ids = audience.userIds() == null ? List.of() : audience.userIds();
                for (String id : ids.size() == 1 ? ids : Set.copyOf(ids)) {
                    byUser.getOrDefault(id, Set.of()).forEach(action);
                }
            }
            case "company" -> byCompany.getOrDefault(audience.company(), Set.of()).forEach(action);
            case "role" -> (audience.company() == null
                    ? byRole.getOrDefault(audience.role(), Set.of())
                    : byCompanyRole.getOrDefault(companyRole(audience.company(), audience.role()), Set.of()))
                    .forEach(action);
            case "everyone" -> all.values().forEach(action);
            default -> {
                // an audience type from a newer producer: deliver nothing rather than guess
            }
        }
    }

    public Collection<Session> sessions() {
        return all.values();
    }

    private static String companyRole(String company, String role) {
        return company + '\u0000' + role;
    }

    private static void index(Map<String, Set<Session>> index, String key, Session s) {
        // add inside compute: a concurrent unindex that empties and drops the set cannot lose it
        index.compute(key, (k, set) -> {
            Set<Session> sessions = set == null ? ConcurrentHashMap.newKeySet() : set;
            sessions.add(s);
            return sessions;
        });
    }

    private static void unindex(Map<String, Set<Session>> index, String key, Session s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }
}
