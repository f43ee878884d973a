package io.notify.notification.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.Audience;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.DirectoryClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How many users a send is for, stored with it as {@code audience_size}: the number of distinct ids of a user/users
 * audience; auth-service's directory count at send time for company, role and everyone audiences, asked with the
 * sender's credential (admins and service accounts, the only senders of those, see what they may address) and kept for
 * {@code notify.delivery.audience-count-cache} (30 s) so that sends in a row ask once. Unknown (null) when
 * auth-service does not answer within its 1 s, and for the Kafka intake, which has no caller token: a send never
 * fails or waits long for its audience size. A topic audience: its subscribers at send time, one row of the store
 * ({@code topic_subscriber_counts}, kept by a trigger as subscriptions come and go; not cached: a subscription applies
 * at once), also for the Kafka intake.
 */
@ApplicationScoped
public class AudienceSizes {

    private record Key(String type, String company, String role) {
    }

    private record Counted(Integer size, long expiresAtNanos) {
    }

    private static final int MAX_CACHED = 10_000;

    private static final String SUBSCRIBERS = "SELECT subscribers FROM topic_subscriber_counts WHERE company = ? AND topic = ?";

    private final DirectoryClient directory;
    private final AgroalDataSource database;
    private final long cacheNanos;
    private final Map<Key, Counted> cache = new ConcurrentHashMap<>();

    public AudienceSizes(DirectoryClient directory, AgroalDataSource database, DeliveryConfig config) {
        this.directory = directory;
        this.database = database;
        this.cacheNanos = config.audienceCountCache().toNanos();
    }

    /** Whether {@link #size} would ask auth-service or the store (and block) for this send. */
    public boolean asks(Audience audience, Caller.Credential credential) {
        return isTopic(audience) || credential != null && !isListed(audience) && fresh(audience) == null;
    }

    /** The audience size (null: unknown); asks auth-service (blocking) when it is not cached. */
    public Integer size(Audience audience, Caller.Credential credential) {
        if (isListed(audience)) {
            return audience.userIds() == null ? 0 : (int) audience.userIds().stream().distinct().count();
        }
        if (isTopic(audience)) {
            return subscribers(audience.company(), audience.topic());
        }
        if (credential == null) {
            return null;
        }
        Counted counted = fresh(audience);
        if (counted == null) {
            String role = audience.type().equals("role") ? audience.role() : null;
            counted = new Counted(directory.count(audience.company(), role, credential), System.nanoTime() + cacheNanos);
            if (cache.size() >= MAX_CACHED) {
                cache.clear(); // bounded memory; counts are cheap to ask again
            }
            cache.put(key(audience), counted);
        }
        return counted.size();
    }

    private Counted fresh(Audience audience) {
        Counted counted = cache.get(key(audience));
        return counted != null && counted.expiresAtNanos() - System.nanoTime() > 0 ? counted : null;
    }

    /** The subscribers of the topic now; null when the store cannot answer (a send never fails for its size). */
    private Integer subscribers(String company, String topic) {
        try (Connection c = database.getConnection(); PreparedStatement count = c.prepareStatement(SUBSCRIBERS)) {
            count.setString(1, company);
            count.setString(2, topic);
            try (ResultSet rs = count.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0; // no row: nobody is subscribed
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private static boolean isTopic(Audience audience) {
        return audience.type().equals("topic");
    }

    private static boolean isListed(Audience audience) {
        return audience.type().equals("user") || audience.type().equals("users");
    }

    private static Key key(Audience audience) {
        return new Key(audience.type(), audience.company(), audience.type().equals("role") ? audience.role() : null);
    }
}
