package io.notify.notification.inbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.QuietHours;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The muted types of up to {@link MutedTypes#MAX_USERS} users for one request of a WebSocket gateway: what it needs
 * when a storm of sockets opens. The gateway verified each user's token when their socket opened and asks with its own
 * credential (role {@code gateway}), so a batch costs one token verification and one SQL statement, not a verification
 * per user (which was nearly all of the store's CPU in a connect storm: 143 us per user).
 *
 * <p>One statement on a pooled connection in auto-commit (a read of committed rows; no transaction to begin and end),
 * and the answer is plain records written by Jackson as they are.
 */
@ApplicationScoped
public class MutedTypesLookup {

    /**
     * Muted types ({@code m}), quiet hours ({@code q}) and topic subscriptions ({@code t}, from the index of a user's
     * subscriptions alone) in one statement: one round trip per batch.
     */
    private static final String MUTED = "SELECT 'm', user_id, type, NULL, NULL FROM preferences "
            + "WHERE user_id = ANY(?) AND NOT enabled UNION ALL "
            + "SELECT 'q', user_id, to_char(starts_at, 'HH24:MI'), to_char(ends_at, 'HH24:MI'), timezone FROM quiet_hours "
            + "WHERE user_id = ANY(?) UNION ALL "
            + "SELECT 't', user_id, topic, company, CAST(since_seq AS text) FROM topic_subscriptions WHERE user_id = ANY(?)";

    private final AgroalDataSource database;

    public MutedTypesLookup(AgroalDataSource database) {
        this.database = database;
    }

    public MutedTypes.Answer lookUp(List<String> userIds) {
        Map<String, List<String>> muted = new HashMap<>();
        Map<String, QuietHours> quiet = new HashMap<>();
        Map<String, List<MutedTypes.Topic>> topics = new HashMap<>();
        read(userIds, muted, quiet, topics);
        List<MutedTypes.Result> results = new ArrayList<>(userIds.size());
        for (String user : userIds) {
            results.add(new MutedTypes.Result(user, muted.getOrDefault(user, List.of()), quiet.get(user), topics.get(user)));
        }
        return new MutedTypes.Answer(results);
    }

    private void read(List<String> users, Map<String, List<String>> muted, Map<String, QuietHours> quiet,
            Map<String, List<MutedTypes.Topic>> topics) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(MUTED)) {
            Array ids = connection.createArrayOf("varchar", users.toArray());
            query.setArray(1, ids);
            query.setArray(2, ids);
            query.setArray(3, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String user = rows.getString(2);
                    switch (rows.getString(1)) {
                        case "m" -> muted.computeIfAbsent(user, u -> new ArrayList<>(2)).add(rows.getString(3));
                        case "q" -> quiet.put(user, new QuietHours(rows.getString(3), rows.getString(4), rows.getString(5)));
                        default -> topics.computeIfAbsent(user, u -> new ArrayList<>(2))
                                .add(new MutedTypes.Topic(rows.getString(3), rows.getString(4), Long.parseLong(rows.getString(5))));
                    }
                }
            }
            ids.free();
        } catch (SQLException e) {
            throw new IllegalStateException("Muted types not read", e);
        }
    }
}
