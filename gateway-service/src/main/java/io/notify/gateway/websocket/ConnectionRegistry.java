package io.notify.gateway.websocket;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.notify.gateway.event.Audience;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The sockets this instance holds, indexed by user, company, role and company+role, so that
 * delivering an event touches only the sockets it addresses.
 */
@ApplicationScoped
public class ConnectionRegistry {

    private final Map<String, SocketUser> users = new ConcurrentHashMap<>();
    private final Map<String, WebSocketConnection> all = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketConnection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketConnection>> byCompany = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketConnection>> byRole = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketConnection>> byCompanyRole = new ConcurrentHashMap<>();

    public void add(WebSocketConnection connection, SocketUser user) {
        users.put(connection.id(), user);
        all.put(connection.id(), connection);
        index(byUser, user.userId(), connection);
        if (user.company() != null) {
            index(byCompany, user.company(), connection);
        }
        for (String role : user.roles()) {
            index(byRole, role, connection);
            if (user.company() != null) {
                index(byCompanyRole, companyRole(user.company(), role), connection);
            }
        }
    }

    public void remove(WebSocketConnection connection) {
        SocketUser user = users.remove(connection.id());
        if (user == null) {
            return;
        }
        all.remove(connection.id());
        unindex(byUser, user.userId(), connection);
        if (user.company() != null) {
            unindex(byCompany, user.company(), connection);
        }
        for (String role : user.roles()) {
            unindex(byRole, role, connection);
            if (user.company() != null) {
                unindex(byCompanyRole, companyRole(user.company(), role), connection);
            }
        }
    }

    public SocketUser user(WebSocketConnection connection) {
        return users.get(connection.id());
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
    public void forEachAddressed(Audience audience, Consumer<WebSocketConnection> action) {
        if (audience == null || audience.type() == null) {
            return;
        }
        switch (audience.type()) {
            case "user", "users" -> {
                List<String> ids = audience.userIds() == null ? List.of() : audience.userIds();
                for (String id : Set.copyOf(ids)) {
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

    public Collection<WebSocketConnection> connections() {
        return all.values();
    }

    private static String companyRole(String company, String role) {
        return company + '\u0000' + role;
    }

    private static void index(Map<String, Set<WebSocketConnection>> index, String key, WebSocketConnection c) {
        // add inside compute: a concurrent unindex that empties and drops the set cannot lose it
        index.compute(key, (k, set) -> {
            Set<WebSocketConnection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(c);
            return s;
        });
    }

    private static void unindex(Map<String, Set<WebSocketConnection>> index, String key, WebSocketConnection c) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }
}
