package io.notify.gateway.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The sockets this instance holds, indexed by user, company, role and company+role, so that
 * delivering an event touches only the sockets it addresses; a topic's subscribers come from {@link Topics}.
 */
@ApplicationScoped
public class ConnectionIndex {

    private static final Session[] NONE = {};

    private final Map<String, Session> all = new ConcurrentHashMap<>();
    /**
     * A user has one socket or a few (at most notify.gateway.max-sockets-per-user): a small array,
     * replaced on every change, costs far less per idle socket than a concurrent set per user.
     */
    private final Map<String, Session[]> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byCompany = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byRole = new ConcurrentHashMap<>();
    private final Map<String, Set<Session>> byCompanyRole = new ConcurrentHashMap<>();
    private final Topics topics;

    @Inject
    public ConnectionIndex(Topics topics) {
        this.topics = topics;
    }

    public ConnectionIndex() {
        this(new Topics());
    }

    /** Indexes {@code session} under its current user (call again after its routing changed). */
    public void add(Session session) {
        SocketUser user = session.user();
        all.put(session.connection().id(), session);
        byUser.merge(user.userId(), new Session[] { session }, ConnectionIndex::with);
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

    /**
     * Gives {@code session} a new identity (a refreshed token, a change of its account) and indexes it where that one
     * belongs. Under the session's monitor, like {@link #remove}: a socket closing meanwhile is not indexed again.
     */
    public void reroute(Session session, SocketUser user) {
        synchronized (session) {
            if (user.sameRouting(session.user()) || !all.containsKey(session.connection().id())) {
                session.refreshed(user);
                return;
            }
            remove(session);
            session.refreshed(user);
            add(session);
        }
    }

    /** Unindexes {@code session} from where its current user put it. */
    public void remove(Session session) {
        synchronized (session) {
            forget(session);
        }
    }

    private void forget(Session session) {
        if (all.remove(session.connection().id()) == null) {
            return;
        }
        SocketUser user = session.user();
        byUser.computeIfPresent(user.userId(), (k, sessions) -> without(sessions, session));
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

    /** The sockets this instance holds for the user (none: an empty array). */
    public Session[] sessionsOf(String userId) {
        return byUser.getOrDefault(userId, NONE);
    }

    /** Sockets this instance holds for the user. */
    public int count(String userId) {
        return byUser.getOrDefault(userId, NONE).length;
    }

    /** Whether this instance holds a socket of this user. */
    public boolean holds(String userId) {
        return byUser.containsKey(userId);
    }

    public int size() {
        return all.size();
    }

    /** Users with a socket here. */
    public int users() {
        return byUser.size();
    }

    /** Calls {@code action} once for every local socket {@code audience} addresses, for an event of {@code seq}. */
    public void forEachAddressed(Audience audience, long seq, Consumer<Session> action) {
        if (audience == null || audience.type() == null) {
            return;
        }
        switch (audience.type()) {
            case "user", "users" -> {
                List<String> ids = audience.userIds() == null ? List.of() : audience.userIds();
                for (String id : ids.size() == 1 ? ids : Set.copyOf(ids)) {
                    for (Session session : byUser.getOrDefault(id, NONE)) {
                        action.accept(session);
                    }
                }
            }
            case "company" -> byCompany.getOrDefault(audience.company(), Set.of()).forEach(action);
            case "role" -> (audience.company() == null
                    ? byRole.getOrDefault(audience.role(), Set.of())
                    : byCompanyRole.getOrDefault(companyRole(audience.company(), audience.role()), Set.of()))
                    .forEach(action);
            case "everyone" -> all.values().forEach(action);
            case "topic" -> {
                if (audience.company() != null && audience.topic() != null) {
                    // a subscription is the user's in a company: a socket of theirs in another company is not addressed
                    topics.forEachSubscriber(audience.company(), audience.topic(), seq, userId -> {
                        for (Session session : byUser.getOrDefault(userId, NONE)) {
                            if (audience.company().equals(session.user().company())) {
                                action.accept(session);
                            }
                        }
                    });
                }
            }
            default -> {
                // an audience type from a newer producer: deliver nothing rather than guess
            }
        }
    }

    public Collection<Session> sessions() {
        return all.values();
    }

    private static Session[] with(Session[] sessions, Session[] added) {
        Session[] more = Arrays.copyOf(sessions, sessions.length + 1);
        more[sessions.length] = added[0];
        return more;
    }

    /** {@code sessions} without {@code removed}; null (the user's entry goes) when none is left. */
    private static Session[] without(Session[] sessions, Session removed) {
        Session[] rest = Arrays.stream(sessions).filter(s -> s != removed).toArray(Session[]::new);
        return rest.length == 0 ? null : rest;
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
